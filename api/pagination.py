from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; `?page=` and `?page_size=` (capped)."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.TIEJU_API_PAGE_SIZE
        self.max_page_size = settings.TIEJU_API_MAX_PAGE_SIZE
        return super().get_page_size(request)
