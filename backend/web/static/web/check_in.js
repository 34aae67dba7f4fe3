/* The check-in page (seller/check_in.html): scan the QR code with the camera where the browser has
   BarcodeDetector, then submit the form with the code. Loaded as a file, never inline (the
   Content-Security-Policy allows scripts from this site only). */
(function () {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = document.getElementById("scan"), video = document.getElementById("camera");
  var form = document.getElementById("check-in"), input = form.querySelector("[name=code]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      var timer = setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (!codes.length) return;
          clearInterval(timer); stream.getTracks().forEach(function (t) { t.stop(); });
          input.value = codes[0].rawValue; form.submit();
        });
      }, 300);
    });
  });
})();
