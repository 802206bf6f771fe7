// The API documentation page: Swagger UI over this server's OpenAPI document (a file, not an
// inline script, so that the Content-Security-Policy can stay "scripts from this server only").
(function () {
  "use strict";
  const el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: el.dataset.spec, domNode: el, deepLinking: true, tryItOutEnabled: false });
  el.dataset.ready = "true";
})();
