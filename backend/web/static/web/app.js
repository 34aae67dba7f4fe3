/* Small enhancements of the Chợ Phiên pages; every page works without them (plain forms and links).
   No inline script anywhere: the pages' Content-Security-Policy allows scripts from /static/ only. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var money = new Intl.NumberFormat("vi-VN");
  function dong(amount) { return money.format(amount) + " đ"; }

  /* Stock-hold countdown in the cart. */
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, Math.floor((Date.parse(el.dataset.countdown) - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    });
  }
  setInterval(tick, 1000);

  /* Selects that apply at once (sort order): the button next to them stays for no-JS visitors. */
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosubmit]");
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });

  /* − / + steppers around a number input (the experience booking form). */
  function stepper(root) {
    var input = root.querySelector("input");
    root.querySelectorAll("[data-step]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var min = input.min === "" ? 0 : Number(input.min), max = input.max === "" ? Infinity : Number(input.max);
        var value = Math.min(max, Math.max(min, (Number(input.value) || 0) + Number(button.dataset.step)));
        input.value = String(value);
        input.dispatchEvent(new Event("input", {bubbles: true}));
        input.dispatchEvent(new Event("change", {bubbles: true}));
      });
    });
  }

  /* The booking form's live total: people × price per participant type. */
  function bookingTotal(form) {
    var output = form.querySelector("[data-total]");
    if (!output) { return; }
    function update() {
      var total = 0;
      form.querySelectorAll("input[data-price]").forEach(function (input) {
        total += (Number(input.value) || 0) * Number(input.dataset.price);
      });
      output.textContent = dong(total);
    }
    form.addEventListener("input", update);
    update();
  }

  /* Photos chosen on the product form: a preview of each before it is sent. */
  function photoPreview(input) {
    var list = document.getElementById(input.dataset.preview);
    if (!list || !window.URL) { return; }
    input.addEventListener("change", function () {
      list.querySelectorAll("[data-new]").forEach(function (item) { item.remove(); });
      Array.prototype.forEach.call(input.files || [], function (file) {
        var item = document.createElement("li");
        var img = document.createElement("img");
        item.dataset.new = "1";
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.width = 96;
        img.height = 96;
        item.appendChild(img);
        list.appendChild(item);
      });
    });
  }

  /* Ticket check-in: scan the QR code with the camera where the browser has BarcodeDetector. */
  function scanner(button) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var video = document.getElementById(button.dataset.video), form = button.form;
    var input = form.querySelector("[name=code]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({formats: ["qr_code"]});
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var timer = setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) { return; }
            clearInterval(timer);
            stream.getTracks().forEach(function (track) { track.stop(); });
            input.value = codes[0].rawValue;
            form.submit();
          });
        }, 300);
      });
    });
  }

  function enhance(root) {
    root.querySelectorAll("[data-stepper]").forEach(stepper);
    root.querySelectorAll("form[data-booking-form]").forEach(bookingTotal);
    root.querySelectorAll("input[data-preview]").forEach(photoPreview);
    root.querySelectorAll("button[data-scan]").forEach(scanner);
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();
