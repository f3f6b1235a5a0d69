"""The one write: a progress report, through the web's form, access helper and service (same rules, once)."""

from collections.abc import Mapping

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api import serializers
from api.errors import error_body
from api.views.read import report_periods, requirement_rows
from tasks import services
from tasks.access import REPORT, get_requirement_for_user
from tasks.forms import ProgressReportForm
from tasks.models import Requirement


def _detail(request, pk, abilities):
    requirement = requirement_rows(Requirement.objects.filter(pk=pk).with_lights(on=timezone.localdate())).get()
    requirement.abilities = abilities
    context = {"request": request, "report_periods": report_periods(requirement)}
    return serializers.RequirementDetailSerializer(requirement, context=context).data


# A JSON body's values must be of the JSON type the schema gives (the form would turn a list into its text);
# what each value may be is the form's business.
JSON_TYPES = {"status": str, "note": str, "period": str, "progress": int, "version": int}


def _json_type_errors(data):
    errors = {}
    for name, kind in JSON_TYPES.items():
        value = data.get(name)
        if value is None:
            continue
        if kind is int:
            ok = (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, float) and value.is_integer()
            )
        else:
            ok = isinstance(value, str)
        if not ok:
            errors[name] = [_("应为整数。") if kind is int else _("应为字符串。")]
    return errors


@extend_schema(
    summary="File a progress report on a requirement (the requirement page's form)",
    description=(
        "Only staff of a responsible department may report (403 otherwise; 404 for a requirement the caller "
        "cannot see). Send the requirement's `version` as read: if someone reported since, nothing is saved "
        "and the answer is 409 with the reports you missed. Evidence files go in a multipart body as `files` "
        "(PDF, images, Word or Excel, recognised by content, each within the size limit, at most 10)."
    ),
    request={
        "application/json": serializers.ProgressReportRequestSerializer,
        "multipart/form-data": serializers.ProgressReportRequestSerializer,
    },
    responses={
        201: serializers.ProgressReportResponseSerializer,
        400: serializers.ErrorSerializer,
        403: serializers.ErrorSerializer,
        404: serializers.ErrorSerializer,
        409: serializers.ConflictSerializer,
    },
    examples=[
        OpenApiExample(
            "In progress",
            value={"status": "in_progress", "progress": 60, "version": 3, "note": "已完成 60 家重点企业的整治。"},
            request_only=True,
        )
    ],
)
@api_view(["POST"])
@parser_classes([JSONParser, MultiPartParser, FormParser])
def progress_report(request, pk):
    requirement = get_requirement_for_user(request, pk, write=REPORT)
    if not isinstance(request.data, Mapping):
        return Response(error_body(_("请求体应为 JSON 对象或表单。")), status=status.HTTP_400_BAD_REQUEST)
    if request.content_type.startswith("application/json") and (errors := _json_type_errors(request.data)):
        return Response(
            error_body(_("进度报告未保存，请按 errors 中的提示修改。"), errors), status=status.HTTP_400_BAD_REQUEST
        )
    if "files" in request.data and not request.FILES.getlist("files"):
        return Response(
            error_body(
                _("进度报告未保存，请按 errors 中的提示修改。"),
                {"files": [_("佐证材料须以 multipart/form-data 文件上传。")]},
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if "period" in request.data and not requirement.reports_periodically:
        return Response(
            error_body(
                _("进度报告未保存，请按 errors 中的提示修改。"),
                {"period": [_("这项具体要求限期完成，不按期间反馈，请勿填写反馈期间。")]},
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    form = ProgressReportForm(request.data, request.FILES, requirement=requirement, on=timezone.localdate())
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return Response(
            error_body(_("进度报告未保存，请按 errors 中的提示修改。"), errors), status=status.HTTP_400_BAD_REQUEST
        )
    data = form.cleaned_data
    try:
        entry = services.progress_record(
            requirement=requirement,
            user=request.user,
            status=data["status"],
            progress=data["progress"],
            note=data["note"],
            files=data["files"],
            period=data.get("period"),
            version=data["version"],
        )
    except services.VersionConflict as conflict:
        return Response(
            error_body(
                _("保存未成功：在您填写期间，其他人已更新了这项具体要求。请核对最新情况后按新版本重新提交。"),
                current_version=conflict.requirement.version,
                changes=serializers.JournalEntrySerializer(conflict.entries, many=True).data,
            ),
            status=status.HTTP_409_CONFLICT,
        )
    body = {
        "entry": serializers.JournalEntrySerializer(entry).data,
        "requirement": _detail(request, requirement.pk, requirement.abilities),
    }
    location = reverse("api:requirement-journal", args=[requirement.pk])
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
