// The photo library's upload page: every chosen file goes in a request of its own, one after another, so a
// batch of any total size passes the proxy's per-request limit (nginx client_max_body_size) and no request
// lasts long; each file shows its own progress and result. Without this script the form posts all files at once.
(function () {
  "use strict";

  function text(el, value) {
    el.textContent = value;
    return el;
  }

  function errorsOf(xhr) {
    if (xhr.status === 413) {
      return ["文件超过上传上限，未上传。"];
    }
    try {
      var data = JSON.parse(xhr.responseText);
      if (data && data.errors && data.errors.length) {
        return data.errors;
      }
    } catch (e) {
      // not JSON: a proxy or server error page
    }
    if (xhr.status === 0) {
      return ["网络中断，未上传。"];
    }
    return ["服务器错误（" + xhr.status + "），未上传。"];
  }

  function sendOne(form, input, file, row) {
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.delete(input.name);
      data.append(input.name, file, file.name);
      var xhr = new XMLHttpRequest();
      var state = row.querySelector(".photo-upload-state");
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          text(state, "上传中 " + Math.floor((event.loaded / event.total) * 100) + "%");
        }
      });
      xhr.addEventListener("loadend", function () {
        var data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch (e) {
          data = null;
        }
        if (xhr.status === 200 && data && data.ok) {
          row.classList.add("photo-upload-done");
          text(state, "已上传，各尺寸图片正在后台生成 ");
          data.photos.forEach(function (photo) {
            var link = document.createElement("a");
            link.href = photo.url;
            text(link, "查看");
            state.appendChild(link);
          });
          resolve(true);
        } else {
          row.classList.add("photo-upload-failed");
          text(state, errorsOf(xhr).join(" "));
          resolve(false);
        }
      });
      text(state, "上传中 0%");
      xhr.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("photo-upload-form");
    if (!form || form.dataset.oneByOne !== "1" || !window.FormData || !window.Promise) {
      return;
    }
    var input = form.querySelector('input[type="file"][name="images"]');
    var list = document.getElementById("photo-upload-progress");
    var summary = document.getElementById("photo-upload-summary");
    var button = form.querySelector('input[type="submit"]');
    if (!input || !list || !summary) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) {
        return; // the server says that a file is needed
      }
      event.preventDefault();
      button.disabled = true;
      list.replaceChildren();
      text(summary, "");
      var rows = files.map(function (file) {
        var row = document.createElement("li");
        var name = document.createElement("span");
        name.className = "photo-upload-name";
        text(name, file.name + "：");
        var state = document.createElement("span");
        state.className = "photo-upload-state";
        text(state, "等待上传");
        row.appendChild(name);
        row.appendChild(state);
        list.appendChild(row);
        return row;
      });
      var done = 0;
      var failed = 0;
      var chain = Promise.resolve();
      files.forEach(function (file, index) {
        chain = chain.then(function () {
          return sendOne(form, input, file, rows[index]).then(function (ok) {
            if (ok) {
              done += 1;
            } else {
              failed += 1;
            }
          });
        });
      });
      chain.then(function () {
        button.disabled = false;
        input.value = "";
        text(summary, "已上传 " + done + " 张" + (failed ? "，" + failed + " 张未上传（原因见上）" : "") + "。");
        if (done) {
          var link = document.createElement("a");
          link.href = form.dataset.libraryUrl;
          text(link, "返回图片库");
          summary.appendChild(document.createTextNode(" "));
          summary.appendChild(link);
        }
      });
    });
  });
})();
