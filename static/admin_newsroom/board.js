// The edition board (版面计划): draws every page and the pool from JSON and sends each change at once.
//
// Every action is one POST to board/action/ carrying the version of each page it touches, as the
// board last saw it. Actions run one after another; the answer is the whole board, drawn again. A
// 409 (someone changed that page meanwhile) reloads the board, highlights the page, and keeps the
// user's action on screen to do again or drop: nothing is lost without saying so. A poll every few
// seconds asks whether anything changed (a short stamp) and redraws when it did. Dragging is
// SortableJS (static/vendor/sortablejs); every drag has a button or menu doing the same.
(function () {
  "use strict";

  var POLL_MS = 3000;
  var root, urls, csrfToken;
  var state = null;
  var poolData = null;
  var sortables = [];
  var queue = Promise.resolve();
  var busy = 0;
  var dragging = false;
  var pendingRetry = null;
  var focusAfter = null;
  var poolStale = false;

  // ---- small DOM helpers -------------------------------------------------------------------

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function quote(headline) {
    return "《" + headline + "》";
  }

  function pageById(id) {
    id = Number(id);
    return state.pages.find(function (p) {
      return p.id === id;
    });
  }

  function storyById(id) {
    id = Number(id);
    for (var i = 0; i < state.pages.length; i++) {
      var found = state.pages[i].stories.find(function (s) {
        return s.id === id;
      });
      if (found) return { page: state.pages[i], story: found };
    }
    return null;
  }

  function pageLabel(page) {
    return "第" + page.number + "版 " + page.name;
  }

  // ---- talking to the server ---------------------------------------------------------------

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }
    );
  }

  // An action: {fields, versions: {field: pageId}, describe, focus}. Versions are read when it is sent,
  // from the board as the previous action left it.
  function perform(action) {
    busy += 1;
    root.dataset.busy = "1";
    setSortablesDisabled(true);
    status("正在保存……");
    queue = queue
      .then(function () {
        return send(action);
      })
      .catch(function () {
        showAlert("网络错误，操作“" + action.describe + "”未能保存，请检查网络后重新执行。", action);
      })
      .then(function () {
        busy -= 1;
        if (!busy) {
          setSortablesDisabled(false);
          delete root.dataset.busy;
        }
      });
    return queue;
  }

  function send(action) {
    var body = new FormData();
    Object.keys(action.fields).forEach(function (key) {
      var value = action.fields[key];
      if (value !== null && value !== undefined) body.append(key, value);
    });
    // Each page's version and the plan the board showed of it: a refusal can then say what changed.
    Object.keys(action.versions || {}).forEach(function (key) {
      var page = pageById(action.versions[key]);
      if (!page) return;
      body.append(key, page.version);
      body.append(key === "version" ? "loaded" : "target_loaded", page.plan);
      if (key === "version") body.append("version_page", page.id);
    });
    return fetch(urls.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
      body: body,
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return { error: "服务器没有给出答复（" + response.status + "）。" };
        })
        .then(function (data) {
          return handleAnswer(response.status, data, action);
        });
    });
  }

  function handleAnswer(code, data, action) {
    if (data.board) state = data.board;
    if (code === 200 && data.ok) {
      hideAlert();
      focusAfter = action.focus || null;
      render();
      status(data.message || "已保存。");
      // Within the action's turn: the next action (or drag) starts on the pool as it now is.
      return action.refreshPool ? loadPool() : null;
    }
    render();
    if (code === 409) {
      markConflict(action.pages || []);
      showAlert(data.error + " 该版已按最新内容刷新；您的操作“" + action.describe + "”未执行。", action);
      return loadPool();
    } else if (code === 403) {
      showAlert((data.error || "您没有权限执行此操作。") + "（“" + action.describe + "”未执行）", null);
    } else {
      showAlert((data.error || "操作未能完成。") + "（“" + action.describe + "”未执行）", null);
    }
    status("");
  }

  // ---- messages ----------------------------------------------------------------------------

  function status(text) {
    byId("board-status").textContent = text;
  }

  function showAlert(text, retryAction) {
    var box = byId("board-alert");
    pendingRetry = retryAction;
    box.textContent = "";
    box.appendChild(el("p", { text: text }));
    if (retryAction) {
      var again = el("button", { type: "button", className: "button default", id: "board-retry", text: "重新执行" });
      var drop = el("button", { type: "button", className: "button", id: "board-dismiss", text: "放弃此操作" });
      again.addEventListener("click", function () {
        var action = pendingRetry;
        hideAlert();
        if (action) perform(action);
      });
      drop.addEventListener("click", function () {
        hideAlert();
        status("已放弃该操作。");
      });
      box.appendChild(el("p", { className: "board-alert-actions" }, [again, " ", drop]));
    } else {
      var ok = el("button", { type: "button", className: "button", id: "board-dismiss", text: "知道了" });
      ok.addEventListener("click", hideAlert);
      box.appendChild(el("p", { className: "board-alert-actions" }, [ok]));
    }
    box.hidden = false;
    var first = box.querySelector("button");
    if (first) first.focus();
  }

  function hideAlert() {
    var box = byId("board-alert");
    box.hidden = true;
    box.textContent = "";
    pendingRetry = null;
  }

  function markConflict(pageIds) {
    pageIds.forEach(function (id) {
      var column = root.querySelector('.board-page[data-page="' + id + '"]');
      if (column) column.classList.add("conflicted");
    });
  }

  // ---- drawing -----------------------------------------------------------------------------

  // What a redraw must keep: the focused control, open menus, chosen values in selects.
  function captureUi() {
    var active = document.activeElement;
    var ui = { focus: active && active.dataset ? active.dataset.key : null, open: [], values: {} };
    root.querySelectorAll("details[data-key][open]").forEach(function (d) {
      ui.open.push(d.dataset.key);
    });
    // A poll may redraw while a menu is open: what was chosen or typed there stays.
    root.querySelectorAll("#board-pages [data-key]:is(select, input), #pool-list select[data-key]").forEach(function (s) {
      ui.values[s.dataset.key] = s.value;
    });
    return ui;
  }

  function restoreUi(ui) {
    ui.open.forEach(function (key) {
      var d = root.querySelector('details[data-key="' + key + '"]');
      if (d) d.open = true;
    });
    Object.keys(ui.values).forEach(function (key) {
      var s = root.querySelector('[data-key="' + key + '"]');
      if (!s) return;
      if (s.tagName === "INPUT") {
        s.value = ui.values[key];
      } else if (Array.prototype.some.call(s.options, function (o) { return o.value === ui.values[key]; })) {
        s.value = ui.values[key];
      }
    });
    var target = null;
    if (focusAfter) {
      target = findFocus(focusAfter);
      focusAfter = null;
    } else if (ui.focus) {
      target = root.querySelector('[data-key="' + ui.focus + '"]');
    }
    if (target) {
      if (target.disabled) target = target.closest(".story") || target;
      target.focus();
    }
  }

  function findFocus(wanted) {
    if (wanted.article) return root.querySelector('.story[data-article="' + wanted.article + '"]');
    if (wanted.key) return root.querySelector('[data-key="' + wanted.key + '"]');
    return null;
  }

  function render() {
    if (!state) return;
    var ui = captureUi();
    destroySortables();
    var host = byId("board-pages");
    host.textContent = "";
    if (!state.pages.length) {
      host.appendChild(el("p", { className: "board-empty", text: "这一期还没有版面，请先在期次页面添加版面或复制上一期的版面计划。" }));
    }
    state.pages.forEach(function (page) {
      host.appendChild(pageColumn(page));
    });
    renderSummary();
    renderRelease();
    renderPool();
    restoreUi(ui);
    makeSortables();
  }

  function renderSummary() {
    var e = state.edition;
    var text =
      e.title + " · " + e.status_label + " · 共" + state.pages.length + "版，已签发 " + e.signed + "/" +
      state.pages.length + " · 稿件 " + e.stories + " 篇 · " + e.chars + " 字";
    byId("board-summary").textContent = text;
  }

  function stateButtons(page) {
    var tools = [];
    if (page.can_proofread) {
      tools.push(actionButton("proofread", "校对完成", "page-" + page.id + "-proofread", "第" + page.number + "版校对完成"));
    }
    if (page.can_sign_off) {
      tools.push(actionButton("sign-off", "签发本版", "page-" + page.id + "-sign-off", "签发第" + page.number + "版", "default"));
    }
    if (page.can_reopen) {
      var note = el("input", {
        type: "text",
        maxlength: "200",
        "data-key": "page-" + page.id + "-note",
        "aria-label": "第" + page.number + "版退回编排的原因",
        placeholder: "原因（可不填）",
      });
      var confirm = actionButton("reopen", "确认退回", "page-" + page.id + "-reopen", "确认退回第" + page.number + "版");
      tools.push(
        el("details", { className: "page-reopen", "data-key": "page-" + page.id + "-reopen-menu" }, [
          el("summary", { text: "退回编排", "data-key": "page-" + page.id + "-reopen-summary" }),
          el("div", { className: "menu-body" }, [note, confirm]),
        ])
      );
    }
    return tools;
  }

  function actionButton(act, text, key, label, extra) {
    return el("button", {
      type: "button",
      className: "button board-btn" + (extra ? " " + extra : ""),
      "data-act": act,
      "data-key": key,
      "aria-label": label || text,
      text: text,
    });
  }

  function pageColumn(page) {
    var locked = page.state === "signed_off";
    var column = el("section", {
      className: "board-page state-" + page.state + (page.editable ? "" : " locked"),
      "data-page": page.id,
      "aria-labelledby": "page-title-" + page.id,
    });
    var title = el("h2", { id: "page-title-" + page.id, tabindex: "-1", "data-key": "page-" + page.id + "-title" }, [
      el("span", { className: "page-number", text: "第" + page.number + "版" }),
      " ",
      el("span", { className: "page-name", text: page.name }),
    ]);
    var meta = el("p", { className: "page-meta" }, [
      el("span", { className: "page-state badge-" + page.state, text: (locked ? "🔒 " : "") + page.state_label }),
      el("span", { className: "page-editor", text: "责任编辑：" + (page.editor || "未定") }),
      el("span", { className: "page-chars", text: page.chars + " 字" }),
      el("span", { className: "page-count", text: page.stories.length + " 篇" }),
    ]);
    column.appendChild(el("header", { className: "page-head" }, [title, meta]));
    if (locked) {
      column.appendChild(
        el("p", {
          className: "page-lock",
          text: "已签发，只读" + (page.signed_by ? "（" + page.signed_by + " " + page.signed_at + "）" : "") + "；如需修改请先退回编排。",
        })
      );
    }
    var tools = stateButtons(page);
    if (tools.length) column.appendChild(el("div", { className: "page-actions" }, tools));
    var list = el("ol", {
      className: "page-stories",
      "data-page": page.id,
      "aria-label": "第" + page.number + "版稿件",
      "data-empty": page.editable ? "把稿件拖到这里" : "暂无稿件",
    });
    page.stories.forEach(function (story, index) {
      list.appendChild(storyCard(page, story, index));
    });
    // The 下转 zone stands above the stories: a card dragged across them to reach it never pushes it away.
    column.appendChild(jumpArea(page));
    column.appendChild(list);
    return column;
  }

  function storyCard(page, story, index) {
    var card = el("li", {
      className: "story" + (story.lead ? " is-lead" : "") + (story.problem ? " has-problem" : ""),
      "data-placement": story.id,
      "data-article": story.article,
      "data-key": "story-" + story.id,
      tabindex: "0",
      "aria-label": "第" + page.number + "版第" + (index + 1) + "条：" + (story.lead ? "头条 " : "") + story.headline,
    });
    var head = el("div", { className: "story-title" }, [
      story.lead ? el("span", { className: "lead-mark", text: "头条" }) : null,
      story.kicker ? el("span", { className: "story-kicker", text: story.kicker }) : null,
      el("a", { href: story.url, className: "story-headline", tabindex: "-1", text: story.headline }),
    ]);
    var meta = el("p", { className: "story-meta" }, [
      story.bylines ? el("span", { text: story.bylines }) : null,
      el("span", { className: "story-chars", text: story.chars + " 字" }),
      story.status !== "published" ? el("span", { className: "story-status", text: story.status_label }) : null,
      story.jump_to ? el("span", { className: "jump-mark", text: "下转" + story.jump_to + "版" }) : null,
    ]);
    card.appendChild(head);
    card.appendChild(meta);
    if (story.problem) card.appendChild(el("p", { className: "story-problem", text: "不能发布：" + story.problem }));
    if (page.editable) card.appendChild(storyTools(page, story, index));
    return card;
  }

  function storyTools(page, story, index) {
    var h = quote(story.headline);
    var key = "story-" + story.id;
    var up = actionButton("up", "↑", key + "-up", "上移 " + h);
    var down = actionButton("down", "↓", key + "-down", "下移 " + h);
    if (index === 0) up.disabled = true;
    if (index === page.stories.length - 1) down.disabled = true;
    var lead = actionButton("lead", story.lead ? "取消头条" : "设为头条", key + "-lead", (story.lead ? "取消头条 " : "设为头条 ") + h);
    var others = state.pages.filter(function (p) {
      return p.id !== page.id;
    });
    var moveSelect = el(
      "select",
      { "data-role": "move-target", "data-key": key + "-move-target", "aria-label": "把" + h + "移到" },
      others
        .filter(function (p) {
          return p.editable;
        })
        .map(function (p) {
          return el("option", { value: p.id, text: pageLabel(p) });
        })
    );
    var jumpSelect = el(
      "select",
      { "data-role": "jump-target", "data-key": key + "-jump-target", "aria-label": h + "下转到" },
      [el("option", { value: "", text: "不下转" })].concat(
        others.map(function (p) {
          var option = el("option", { value: p.id, text: "下转" + p.number + "版（" + p.name + "）" });
          if (story.jump_to_page === p.id) option.selected = true;
          return option;
        })
      )
    );
    var more = el("details", { className: "story-more", "data-key": key + "-more" }, [
      el("summary", { text: "更多", "data-key": key + "-more-summary", "aria-label": "更多操作 " + h }),
      el("div", { className: "menu-body" }, [
        moveSelect.options.length
          ? el("div", { className: "menu-row" }, [
              el("span", { text: "移到" }),
              moveSelect,
              actionButton("move", "移动", key + "-move", "移动 " + h),
            ])
          : null,
        el("div", { className: "menu-row" }, [jumpSelect, actionButton("jump", "确定", key + "-jump", "设置下转 " + h)]),
        state.may.remove
          ? el("div", { className: "menu-row" }, [actionButton("remove", "撤下本版", key + "-remove", "撤下 " + h, "danger")])
          : null,
      ]),
    ]);
    return el("div", { className: "story-tools" }, [up, down, lead, more]);
  }

  function jumpArea(page) {
    var area = el("div", { className: "page-jumps" });
    if (page.continued_here.length) {
      area.appendChild(
        el(
          "ul",
          { className: "continued-here", "aria-label": "第" + page.number + "版接续的稿件" },
          page.continued_here.map(function (c) {
            return el("li", {}, [el("span", { className: "jump-mark", text: "上接" + c.from + "版" }), " " + quote(c.headline)]);
          })
        )
      );
    }
    if (state.may.assemble && state.pages.length > 1) {
      area.appendChild(
        el("ol", {
          className: "jump-zone",
          "data-page": page.id,
          "aria-label": "下转到第" + page.number + "版",
          "data-empty": "拖另一版的稿件到此：下转第" + page.number + "版",
        })
      );
    }
    return area;
  }

  // ---- the pool ----------------------------------------------------------------------------

  function fetchPool() {
    var params = new URLSearchParams();
    var section = byId("pool-section").value;
    var q = byId("pool-q").value.trim();
    if (section) params.set("section", section);
    if (q) params.set("q", q);
    return getJson(urls.pool + (params.toString() ? "?" + params.toString() : ""));
  }

  function loadPool() {
    return fetchPool()
      .then(function (data) {
        poolData = data;
        fillSections(data.sections);
        root.classList.add("pool-ready");
        if (dragging) {
          // Never redraw under the pointer: the drop's own answer (or the drag's end) draws it.
          poolStale = true;
          return;
        }
        var ui = captureUi();
        destroySortables();
        renderPool();
        restoreUi(ui);
        makeSortables();
      })
      .catch(function () {
        byId("pool-count").textContent = "待排稿件载入失败，请稍后重试。";
      });
  }

  function fillSections(sections) {
    var select = byId("pool-section");
    if (select.options.length > 1) return;
    sections.forEach(function (s) {
      select.appendChild(el("option", { value: s.id, text: s.name }));
    });
  }

  function renderPool() {
    var list = byId("pool-list");
    if (!poolData || !state) return;
    poolStale = false;
    list.textContent = "";
    var targets = state.pages.filter(function (p) {
      return p.editable;
    });
    poolData.stories.forEach(function (story) {
      var h = quote(story.headline);
      var key = "pool-" + story.article;
      var item = el("li", {
        className: "pool-item" + (story.printed ? " printed" : ""),
        "data-article": story.article,
        "data-key": key,
        tabindex: "-1",
      });
      item.appendChild(
        el("div", { className: "story-title" }, [
          story.kicker ? el("span", { className: "story-kicker", text: story.kicker }) : null,
          el("span", { className: "story-headline", text: story.headline }),
        ])
      );
      item.appendChild(
        el("p", { className: "story-meta" }, [
          el("span", { text: story.section }),
          story.bylines ? el("span", { text: story.bylines }) : null,
          el("span", { text: story.chars + " 字" }),
          el("span", { className: "story-status status-" + story.status, text: story.status_label }),
        ])
      );
      if (story.printed) item.appendChild(el("p", { className: "printed-mark", text: story.printed }));
      if (targets.length) {
        var select = el(
          "select",
          { "data-role": "place-target", "data-key": key + "-target", "aria-label": "把" + h + "放到" },
          targets.map(function (p) {
            return el("option", { value: p.id, text: pageLabel(p) });
          })
        );
        item.appendChild(
          el("div", { className: "pool-tools" }, [select, actionButton("place", "放入", key + "-place", "放入 " + h)])
        );
      }
      list.appendChild(item);
    });
    var count = poolData.stories.length
      ? "共 " + poolData.stories.length + (poolData.more ? "+" : "") + " 篇" + (poolData.more ? "（只显示最新的，请按栏目或搜索缩小范围）" : "")
      : "没有待排的稿件。";
    byId("pool-count").textContent = count;
  }

  // ---- the release panel -------------------------------------------------------------------

  function renderRelease() {
    var e = state.edition;
    var problems = byId("release-problems");
    var form = byId("release-form");
    var stateLine = byId("release-state");
    problems.textContent = "";
    stateLine.textContent = "";
    if (e.status === "published") {
      stateLine.appendChild(el("p", { className: "released", text: "本期已于 " + e.released_at + " 出版（或定时出版），版面只读。" }));
      form.hidden = true;
      byId("release-not-allowed").hidden = true;
      return;
    }
    if (state.release.problems.length) {
      stateLine.appendChild(el("p", { text: "出版前还需处理：" }));
      state.release.problems.forEach(function (text) {
        problems.appendChild(el("li", { text: text }));
      });
    } else {
      stateLine.appendChild(el("p", { className: "release-ready", text: "所有版面均已签发，稿件均可发布，可以签发出版。" }));
    }
    form.hidden = !state.release.allowed;
    byId("release-not-allowed").hidden = state.release.allowed;
    var button = byId("release-edition");
    button.disabled = state.release.problems.length > 0;
    button.textContent = state.release.problems.length ? "签发出版（尚有 " + state.release.problems.length + " 项未完成）" : "签发出版";
  }

  // ---- actions from buttons ----------------------------------------------------------------

  function onClick(event) {
    var button = event.target.closest("button[data-act]");
    if (!button || button.disabled || !root.contains(button)) return;
    event.preventDefault();
    var act = button.dataset.act;
    var card = button.closest(".story");
    var column = button.closest(".board-page");
    if (act === "place") {
      var item = button.closest(".pool-item");
      var target = pageById(item.querySelector("select[data-role=place-target]").value);
      placeStory(Number(item.dataset.article), target, null);
      return;
    }
    if (card) {
      storyAction(act, Number(card.dataset.placement), card, button);
      return;
    }
    if (column) pageAction(act, pageById(column.dataset.page), column);
  }

  function placeStory(articleId, page, position) {
    if (!page) return;
    var story = (poolData.stories || []).find(function (s) {
      return s.article === articleId;
    });
    var headline = story ? quote(story.headline) : "稿件";
    perform({
      fields: { action: "place", article: articleId, page: page.id, position: position },
      versions: { version: page.id },
      pages: [page.id],
      describe: "把" + headline + "放到第" + page.number + "版",
      focus: { article: articleId },
      refreshPool: true,
    });
  }

  function storyAction(act, placementId, card, button) {
    var found = storyById(placementId);
    if (!found) return;
    var page = found.page;
    var story = found.story;
    var h = quote(story.headline);
    var key = "story-" + placementId;
    if (act === "up" || act === "down") {
      perform({
        fields: { action: "step", placement: placementId, direction: act },
        versions: { version: page.id },
        pages: [page.id],
        describe: (act === "up" ? "上移" : "下移") + h,
        focus: { key: key + "-" + act },
      });
    } else if (act === "lead") {
      perform({
        fields: { action: "lead", placement: placementId },
        versions: { version: page.id },
        pages: [page.id],
        describe: (story.lead ? "取消头条" : "设为头条") + h,
        focus: { key: key + "-lead" },
      });
    } else if (act === "move") {
      var target = pageById(card.querySelector("select[data-role=move-target]").value);
      if (target) moveStory(placementId, target, null);
    } else if (act === "jump") {
      var value = card.querySelector("select[data-role=jump-target]").value;
      setJump(placementId, value ? pageById(value) : null);
    } else if (act === "remove") {
      var index = page.stories.indexOf(story);
      var next = page.stories[index + 1] || page.stories[index - 1];
      perform({
        fields: { action: "remove", placement: placementId },
        versions: { version: page.id },
        pages: [page.id],
        describe: "撤下" + h,
        focus: { key: next ? "story-" + next.id : "page-" + page.id + "-title" },
        refreshPool: true,
      });
    }
  }

  function moveStory(placementId, target, position) {
    var found = storyById(placementId);
    if (!found) return;
    var same = found.page.id === target.id;
    perform({
      fields: { action: "move", placement: placementId, page: target.id, position: position },
      versions: same ? { version: found.page.id } : { version: found.page.id, target_version: target.id },
      pages: same ? [target.id] : [found.page.id, target.id],
      describe: "把" + quote(found.story.headline) + "移到第" + target.number + "版" + (position ? "第" + position + "条" : ""),
      focus: { key: "story-" + placementId },
    });
  }

  function setJump(placementId, target) {
    var found = storyById(placementId);
    if (!found) return;
    perform({
      fields: { action: "jump", placement: placementId, page: target ? target.id : "" },
      versions: { version: found.page.id },
      pages: [found.page.id],
      describe: target ? quote(found.story.headline) + "下转第" + target.number + "版" : "取消" + quote(found.story.headline) + "的下转",
      focus: { key: "story-" + placementId },
    });
  }

  function pageAction(act, page, column) {
    if (!page) return;
    var words = { proofread: "校对完成", "sign-off": "签发", reopen: "退回编排" };
    var fields = { action: act, page: page.id };
    var next = { proofread: "-sign-off", "sign-off": "-reopen-summary", reopen: "-proofread" };
    if (act === "reopen") {
      var note = column.querySelector("input[data-key='page-" + page.id + "-note']");
      fields.note = note ? note.value : "";
    }
    perform({
      fields: fields,
      versions: act === "reopen" ? {} : { version: page.id },
      pages: [page.id],
      describe: "第" + page.number + "版" + words[act],
      focus: { key: "page-" + page.id + next[act] },
    });
  }

  function onRelease(event) {
    event.preventDefault();
    var form = byId("release-form");
    var fields = { action: "release" };
    new FormData(form).forEach(function (value, key) {
      fields[key] = value;
    });
    perform({ fields: fields, versions: {}, pages: [], describe: "签发出版", focus: { key: "release-focus" } });
  }

  // ---- dragging ----------------------------------------------------------------------------

  function destroySortables() {
    sortables.forEach(function (s) {
      s.destroy();
    });
    sortables = [];
  }

  function setSortablesDisabled(value) {
    sortables.forEach(function (s) {
      s.option("disabled", value);
    });
  }

  var COMMON = {
    animation: 120,
    forceFallback: true,
    fallbackTolerance: 4,
    // On a tablet a finger first scrolls; holding it a moment on a card picks the card up.
    delay: 150,
    delayOnTouchOnly: true,
    filter: "button, select, input, summary, .menu-body",
    preventOnFilter: false,
    onStart: function () {
      dragging = true;
    },
    onEnd: function () {
      dragging = false;
      if (poolStale && !busy) render();
    },
  };

  function options(extra) {
    var merged = {};
    Object.keys(COMMON).forEach(function (k) {
      merged[k] = COMMON[k];
    });
    Object.keys(extra).forEach(function (k) {
      merged[k] = extra[k];
    });
    return merged;
  }

  function makeSortables() {
    if (!window.Sortable || !state || !state.may.assemble) return;
    var pool = byId("pool-list");
    if (pool && state.pages.some(function (p) { return p.editable; })) {
      sortables.push(
        window.Sortable.create(pool, options({ group: { name: "stories", pull: "clone", put: false }, sort: false, draggable: ".pool-item" }))
      );
    }
    root.querySelectorAll(".board-page:not(.locked) .page-stories").forEach(function (list) {
      sortables.push(
        window.Sortable.create(
          list,
          options({
            group: { name: "stories", pull: true, put: true },
            draggable: ".story",
            onAdd: onDropOnPage,
            onUpdate: onReorder,
          })
        )
      );
    });
    root.querySelectorAll(".jump-zone").forEach(function (zone) {
      sortables.push(
        window.Sortable.create(
          zone,
          options({
            group: {
              name: "jump",
              pull: false,
              put: function (to, from) {
                return from.el.classList.contains("page-stories") && from.el.dataset.page !== to.el.dataset.page;
              },
            },
            sort: false,
            onAdd: onDropOnJump,
          })
        )
      );
    });
  }

  // Where the dropped card now stands among the page's stories (1-based), read from the list itself:
  // a card from the pool is no ".story", and SortableJS's own index leaves such cards out.
  function position(evt) {
    var at = 1;
    for (var node = evt.item.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.classList.contains("story") && node !== evt.item) at += 1;
    }
    return at;
  }

  function onDropOnPage(evt) {
    var target = pageById(evt.to.dataset.page);
    var item = evt.item;
    var at = position(evt);
    if (item.parentNode) item.parentNode.removeChild(item);
    if (item.classList.contains("pool-item")) {
      placeStory(Number(item.dataset.article), target, at);
    } else {
      moveStory(Number(item.dataset.placement), target, at);
    }
  }

  function onReorder(evt) {
    var target = pageById(evt.to.dataset.page);
    moveStory(Number(evt.item.dataset.placement), target, position(evt));
  }

  function onDropOnJump(evt) {
    var item = evt.item;
    if (item.parentNode) item.parentNode.removeChild(item);
    setJump(Number(item.dataset.placement), pageById(evt.to.dataset.page));
  }

  // ---- polling -----------------------------------------------------------------------------

  function poll() {
    if (busy || dragging || document.hidden || !state) return;
    getJson(urls.data + "?stamp=" + encodeURIComponent(state.stamp))
      .then(function (data) {
        if (data.unchanged || busy || dragging) return;
        var before = {};
        state.pages.forEach(function (p) {
          before[p.id] = p.version + p.state;
        });
        state = data;
        render();
        var changed = state.pages.filter(function (p) {
          return before[p.id] !== p.version + p.state;
        });
        changed.forEach(function (p) {
          var column = root.querySelector('.board-page[data-page="' + p.id + '"]');
          if (column) column.classList.add("updated");
        });
        if (changed.length) {
          status(
            changed
              .map(function (p) {
                return "第" + p.number + "版";
              })
              .join("、") + "已由他人更新。"
          );
        }
        loadPool();
      })
      .catch(function () {});
  }

  // ---- start -------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector(".board[data-data-url]");
    if (!root) return;
    urls = { data: root.dataset.dataUrl, pool: root.dataset.poolUrl, action: root.dataset.actionUrl };
    csrfToken = root.querySelector("#board-csrf input[name=csrfmiddlewaretoken]").value;
    root.addEventListener("click", onClick);
    byId("release-form").addEventListener("submit", onRelease);
    byId("pool-filter").addEventListener("submit", function (event) {
      event.preventDefault();
      loadPool();
    });
    byId("pool-section").addEventListener("change", loadPool);
    // The pages and the pool are asked for together; the board is drawn once both are there.
    Promise.all([getJson(urls.data), fetchPool()])
      .then(function (answers) {
        state = answers[0];
        poolData = answers[1];
        fillSections(poolData.sections);
        render();
        root.classList.add("board-ready", "pool-ready");
      })
      .catch(function () {
        byId("board-pages").textContent = "版面计划载入失败，请刷新页面重试。";
      });
    window.setInterval(poll, POLL_MS);
  });
})();
