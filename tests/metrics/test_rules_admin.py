"""Administrators define validation rules and reporting departments in the admin site; staff cannot."""

from django.urls import reverse

from metrics.models import Area, ValidationRule
from tests.metrics.conftest import make_indicator


def test_it_lets_an_administrator_define_a_rule_and_refuses_staff(client, admin_user, water_staff):
    city = Area.objects.get(is_city=True)
    good, pm25 = make_indicator("good", combination="ratio"), make_indicator("pm25")
    url = reverse("admin:metrics_validationrule_add")
    data = {
        "text": "优良天数不能超过有效监测天数",
        "left_indicator": good.pk,
        "left_area": city.pk,
        "left_field": "numerator",
        "operator": "<=",
        "right_indicator": pm25.pk,
        "right_area": city.pk,
        "right_field": "denominator",
        "is_active": "on",
    }
    client.force_login(water_staff)
    assert client.post(url, data).status_code in (302, 403)
    assert not ValidationRule.objects.exists()
    client.force_login(admin_user)
    assert client.post(url, {**data, "right_area": ""}).status_code == 200  # one area given, not both
    assert not ValidationRule.objects.exists()
    assert client.post(url, data).status_code == 302
    rule = ValidationRule.objects.get()
    assert (rule.left_field, rule.operator, rule.right_field) == ("numerator", "<=", "denominator")
    page = client.get(reverse("admin:metrics_indicator_change", args=[pm25.pk])).content.decode()
    assert "报送部门" in page and "指标填报区域" in page
