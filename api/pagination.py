import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; `?page=` and `?page_size=` (capped at the maximum)."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return settings.TIEJU_API_PAGE_SIZE
        if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: [_("每页条数应为正整数。")]})
        return min(int(raw), settings.TIEJU_API_MAX_PAGE_SIZE)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {settings.TIEJU_API_PAGE_SIZE}, "
                    f"at most {settings.TIEJU_API_MAX_PAGE_SIZE})."
                )
            else:
                parameter["description"] = "Page number, from 1; a page past the last answers 404."
        return parameters
