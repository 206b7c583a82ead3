/* The body editor (django-prose-editor) in Chinese.
 *
 * The package ships no Chinese and localises in two ways: its dialogs call window.gettext (Django's
 * JavaScript catalog, the admin's jsi18n), so their strings go into django.catalog; its toolbar buttons
 * and block menu carry fixed English titles ("bold", "Heading 2"), so those are translated in the DOM as
 * the editor builds and rebuilds its menubar. A classic script: it runs before the editor's modules.
 */
"use strict";
(function () {
  // Dialogs and prompts: the strings the package passes to gettext.
  const catalog = {
    "Image URL": "图片网址",
    "Alternative Text": "替代文字（供读屏软件朗读）",
    "Caption": "图说",
    "Add caption": "添加图说",
    "Remove caption": "删除图说",
    "Edit Figure": "编辑图片",
    "Edit Image": "编辑图片",
    "Insert Figure": "插入图片",
    "Browse...": "浏览…",
    "Update": "更新",
    "Insert": "插入",
    "Cancel": "取消",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "正文的 HTML。只保留编辑器允许的标签。",
    "Edit HTML": "编辑 HTML",
    "Prettify": "整理格式",
    "URL": "网址",
    "Title": "标题",
    "Open in new window": "在新窗口中打开",
    "Edit Link": "编辑链接",
    "List properties": "列表设置",
    "Bullets": "项目符号",
    "Toggle fullscreen": "全屏编辑",
    "Decimal numbers": "阿拉伯数字",
    "Lowercase letters": "小写字母",
    "Uppercase letters": "大写字母",
    "Lowercase Roman numerals": "小写罗马数字",
    "Uppercase Roman numerals": "大写罗马数字",
    "Start at": "起始编号",
    "List type": "编号样式",
    "Rows": "行数",
    "Columns": "列数",
    "Include header row": "包含表头行",
    "Table Properties": "表格设置",
    "Insert Table": "插入表格",
  };
  // The toolbar: button titles (tooltips and aria-labels) and the block menu's entries.
  const toolbar = {
    "paragraph": "正文",
    "Paragraph": "正文",
    "heading 2": "小标题",
    "Heading 2": "小标题",
    "heading 3": "次级小标题",
    "Heading 3": "次级小标题",
    "unordered list": "项目符号列表",
    "ordered list": "编号列表",
    "List properties": "列表设置",
    "blockquote": "引文",
    "horizontal rule": "分隔线",
    "figure": "按网址插入图片",
    "bold": "加粗",
    "italic": "斜体",
    "underline": "下划线",
    "strike": "删除线",
    "subscript": "下标",
    "superscript": "上标",
    "insert link": "插入链接",
    "remove link": "取消链接",
    "undo": "撤销",
    "redo": "重做",
    "edit HTML": "编辑 HTML",
    "Code": "代码",
    "Code block": "代码块",
    "Insert table": "插入表格",
    "Merge cells": "合并单元格",
    "Split cell": "拆分单元格",
    "Reset all classes": "清除样式",
    "Toggle fullscreen": "全屏编辑",
  };

  const django = window.django || (window.django = {});
  django.catalog = django.catalog || {};
  for (const [msgid, text] of Object.entries(catalog)) {
    django.catalog[msgid] = text;
  }
  if (typeof window.gettext !== "function") {
    // No jsi18n on this page (yet): read the same catalog; jsi18n, if it follows, does the same.
    window.gettext = (msgid) => (typeof django.catalog[msgid] === "string" ? django.catalog[msgid] : msgid);
  }

  function translateAttribute(element, name) {
    const value = element.getAttribute(name);
    if (value && Object.prototype.hasOwnProperty.call(toolbar, value)) {
      element.setAttribute(name, toolbar[value]);
    }
  }

  function translate(root) {
    const buttons = root.matches?.(".prose-menubar [title], .prose-menubar [aria-label]") ? [root] : [];
    buttons.push(...root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]"));
    for (const button of buttons) {
      translateAttribute(button, "title");
      translateAttribute(button, "aria-label");
    }
    // The block menu's entries show their names as text (<h2>Heading 2</h2>, <p>Paragraph</p>).
    const options = root.matches?.(".prose-menubar__option") ? [root] : [];
    options.push(...root.querySelectorAll(".prose-menubar__option"));
    for (const option of options) {
      const label = option.firstElementChild || option;
      const text = label.textContent.trim();
      if (Object.prototype.hasOwnProperty.call(toolbar, text)) {
        label.textContent = toolbar[text];
      }
    }
  }

  // The editor builds its menubar after this script runs, and swaps the block menu's current entry
  // as the cursor moves: translate whatever it adds.
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE && (node.closest(".prose-menubar") || node.querySelector(".prose-menubar"))) {
          translate(node.closest(".prose-menubar") || node);
        }
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
})();
