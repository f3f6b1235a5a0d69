"""Every API error is JSON: `{"message": "...", "errors": {...}}`, errors naming the field that was wrong."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("api")


def _messages(detail):
    """DRF's nested ErrorDetail structure as plain lists of strings."""
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, (dict, list)) else _messages(item) for item in detail]
    return [str(detail)]


def error_body(message, errors=None, **extra):
    body = {"message": str(message)}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(_("请求体过大。")), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body(_("请求无法处理：%(reason)s") % {"reason": exc}), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        # A bug, not the client's fault: logged with its traceback, answered in JSON all the same.
        logger.exception("API error in %s", context.get("view").__class__.__name__)
        return Response(
            error_body(_("服务器内部错误，请稍后重试或联系管理员。")), status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(detail) if isinstance(detail, dict) else {"non_field_errors": _messages(detail)}
        response.data = error_body(_("提交的数据有误，请按 errors 中的提示修改。"), errors)
    elif isinstance(detail, dict) and "detail" in detail:
        response.data = error_body(detail["detail"])
    else:
        response.data = error_body(exc)
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any unknown address under /api/: a JSON 404 rather than the site's HTML page."""
    return JsonResponse(error_body(_("没有这个接口地址：%(path)s") % {"path": request.path}), status=404)
