from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored drf-spectacular-sidecar files, its start-up script a separate file and its
    page free of inline style, so it runs under the site's Content-Security-Policy unchanged."""

    template_name = "api/swagger_ui.html"
