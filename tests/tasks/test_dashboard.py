import pytest
from django.urls import reverse

from tasks.choices import LightCode
from tasks.models import Pillar, Requirement
from teams.models import Department

URL = reverse("tasks:dashboard")


def _numbers(response):
    return sorted(_in_order(response))


def _in_order(response):
    """The page's requirement numbers in the order the table shows them."""
    return [row.record["number"] for row in response.context["table"].paginated_rows]


def test_it_requires_login(client, sample_table):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_nothing_to_an_account_without_a_role(client, outsider, sample_table):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0


def test_it_shows_staff_all_64_requirements_with_deadlines_officials_and_departments(client, water_staff, sample_table):
    client.force_login(water_staff)
    response = client.get(URL, {"department": "", "per_page": 100})
    assert response.context["table"].paginator.count == 64
    page = response.content.decode()
    assert "完成100家挥发性有机物重点企业治理任务" in page
    assert "2026年10月底前" in page and "分管大气副局长" in page and "大气环境处" in page


def test_it_filters_by_pillar(client, leader, sample_table):
    client.force_login(leader)
    pillar = Pillar.objects.get(number=4)
    response = client.get(URL, {"pillar": pillar.pk, "per_page": 100})
    expected = sorted(Requirement.objects.filter(task__pillar=pillar).values_list("number", flat=True))
    assert _numbers(response) == expected and len(expected) > 0


def test_it_filters_by_department_including_collective_words(client, leader, sample_table):
    client.force_login(leader)
    futian = Department.objects.get(name="福田管理局")
    response = client.get(URL, {"department": futian.pk, "per_page": 100})
    numbers = _numbers(response)
    assert 60 in numbers  # responsible
    assert 45 in numbers  # cooperating through 各管理局
    assert 1 not in numbers


def test_it_filters_by_status(client, leader, sample_table):
    Requirement.objects.filter(number__in=[2, 5]).update(status="completed")
    client.force_login(leader)
    response = client.get(URL, {"status": "completed", "per_page": 100})
    assert _numbers(response) == [2, 5]


@pytest.mark.parametrize("sort, first", [("number", 1), ("-number", 64)])
def test_it_sorts(client, leader, sample_table, sort, first):
    client.force_login(leader)
    response = client.get(URL, {"sort": sort})
    assert next(iter(response.context["table"].paginated_rows)).record["number"] == first


def test_it_paginates(client, leader, sample_table):
    client.force_login(leader)
    response = client.get(URL, {"page": 3})
    assert _numbers(response) == list(range(51, 65))


def test_it_filters_by_action_team(client, leader, sample_table):
    from teams.models import ActionTeam

    team = ActionTeam.objects.get(number=1)
    team.requirements.add(*Requirement.objects.filter(number__in=[41, 42]))
    client.force_login(leader)
    response = client.get(URL, {"team": team.pk, "per_page": 100})
    assert _numbers(response) == [41, 42]
    assert "水污染防治战斗队" in response.content.decode()  # offered in the filter form


# --- staff workflow: landing, summary, lights, more filters, escaping, query counts -------------

from datetime import date, timedelta  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tasks.models import Assignment  # noqa: E402
from teams.models import ActionTeam, Official  # noqa: E402


def test_it_lands_staff_on_their_department(client, water_staff, sample_table):
    client.force_login(water_staff)
    response = client.get(URL)
    water = Department.objects.get(name="水生态环境处")
    assert response.status_code == 302 and response["Location"] == f"{URL}?department={water.pk}"
    followed = client.get(response["Location"])
    expected = Requirement.objects.involving(water).count()
    assert followed.context["table"].paginator.count == expected < 64


def test_it_lands_leaders_and_administrators_on_everything(client, leader, admin_user, sample_table):
    for user in (leader, admin_user):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200 and response.context["table"].paginator.count == 64


def test_it_filters_by_department_as_responsible_or_cooperating(client, leader, sample_table):
    client.force_login(leader)
    air = Department.objects.get(name="大气环境处")
    responsible = _numbers(client.get(URL, {"department": air.pk, "role": "responsible", "per_page": 100}))
    cooperating = _numbers(client.get(URL, {"department": air.pk, "role": "cooperating", "per_page": 100}))
    either = _numbers(client.get(URL, {"department": air.pk, "per_page": 100}))
    assert 45 in responsible and 45 not in cooperating
    assert responsible == sorted(Requirement.objects.responsible_for(air).values_list("number", flat=True))
    assert cooperating == sorted(Requirement.objects.cooperating_with(air).values_list("number", flat=True))
    assert set(either) == set(responsible) | set(cooperating)


def test_it_filters_by_official_and_team(client, leader, sample_table):
    official = Official.objects.get(name="分管大气副局长")
    team = ActionTeam.objects.get(number=2)
    Requirement.objects.get(number=45).teams.add(team)
    client.force_login(leader)
    by_official = _numbers(client.get(URL, {"official": official.pk, "per_page": 100}))
    assert by_official == sorted(official.requirements.values_list("number", flat=True)) and 45 in by_official
    assert _numbers(client.get(URL, {"team": team.pk})) == [45]


def test_it_filters_by_light_and_counts_each_light_in_the_summary(client, leader, sample_table):
    today = timezone.localdate()
    Requirement.objects.filter(number=2).update(status="completed", progress=100)
    Requirement.objects.filter(number=45).update(due_date=today - timedelta(days=3), deadline_kind="date")
    lights = Requirement.objects.lights(on=today)
    client.force_login(leader)
    response = client.get(URL, {"light": "red", "per_page": 100})
    expected = sorted(Requirement.objects.get(pk=pk).number for pk, light in lights.items() if light.code == "red")
    assert _numbers(response) == expected and 45 in expected
    summary = {code: count for code, _label, count, _url in client.get(URL).context["summary"]}
    assert summary["red"] == len(expected)
    assert summary["completed"] == sum(1 for light in lights.values() if light.code == "completed")
    assert sum(summary[c] for c in ("red", "yellow", "green", "completed")) == 64


def test_it_filters_by_due_within_n_days_using_the_next_due_date(client, leader, sample_table):
    today = timezone.localdate()
    Requirement.objects.filter(number=45).update(deadline_kind="date", due_date=today + timedelta(days=5))
    Requirement.objects.filter(number=46).update(deadline_kind="date", due_date=today + timedelta(days=40))
    client.force_login(leader)
    numbers = _numbers(client.get(URL, {"due_within": 7, "per_page": 100}))
    assert 45 in numbers and 46 not in numbers
    due = Requirement.objects.exclude(status="completed").next_due_dates(on=today)
    assert len(numbers) == sum(1 for d in due.values() if d and today <= d <= today + timedelta(days=7))


@pytest.mark.parametrize(
    "query",
    [
        {"due_within": "abc"},
        {"due_within": "-3"},
        {"due_within": "99999999999"},
        {"light": "purple"},
        {"department": "999999"},
        {"pillar": "x"},
        {"page": "999"},
        {"sort": "nonsense"},
        {"role": "boss"},
    ],
)
def test_it_never_fails_on_bad_query_strings(client, leader, sample_table, query):
    client.force_login(leader)
    assert client.get(URL, query).status_code in (200, 404)


def test_it_shows_the_written_and_the_next_due_date_the_light_and_the_last_update(
    client, leader, water_staff, sample_table
):
    from tasks import services

    r = Requirement.objects.get(number=45)
    services.progress_record(
        requirement=r, user=water_staff, status="in_progress", progress=30, note="x", version=r.version
    )
    client.force_login(leader)
    page = client.get(URL, {"q": "挥发性有机物"}).content.decode()
    assert "2026年10月底前" in page and "2026-10-31" in page
    assert "light light-" in page and ("红灯" in page or "黄灯" in page or "绿灯" in page)
    assert "推进中" in page and "30%" in page and "water" in page
    assert f'href="/requirements/{r.pk}/"' in page


def test_it_shows_progress_bars_per_pillar_and_task(client, leader, sample_table):
    Requirement.objects.filter(task__pillar__number=1).update(status="completed", progress=100)
    client.force_login(leader)
    response = client.get(URL)
    context = response.context
    assert (
        "锻造铁的政治素养" in response.content.decode()
        and '<progress class="bar" max="100" value="100"' in response.content.decode()
    )
    pillars = {row["task__pillar__number"]: row for row in context["pillar_progress"]}
    total = Requirement.objects.filter(task__pillar__number=1).count()
    assert (pillars[1]["done"], pillars[1]["total"], pillars[1]["mean"]) == (total, total, 100)
    assert len(context["task_progress"]) == 20
    assert sum(row["total"] for row in context["task_progress"]) == 64


def test_it_escapes_requirement_text(client, leader, sample_table):
    Requirement.objects.filter(number=1).update(text="<script>alert(1)</script>")
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _add_requirements(n, water, air):
    """n requirements, a third each dated, monthly and ongoing, in a few bulk queries."""
    from tests.factories import make_breakdown, make_requirement

    if not Requirement.objects.exists():
        make_breakdown(starts_on=date(2026, 1, 1))
        make_requirement(responsible=[water], cooperating=[air])
        n -= 1
    base = Requirement.objects.order_by("-number").first()
    kinds = [("date", ""), ("recurring", "monthly"), ("ongoing", "")]
    rows = []
    for i in range(n):
        kind, recurrence = kinds[i % 3]
        rows.append(
            Requirement(
                breakdown=base.breakdown,
                task=base.task,
                number=base.number + 1 + i,
                text=f"批量{i}",
                deadline_text="x",
                deadline_kind=kind,
                due_date=date(2026, 12, 31) if kind == "date" else None,
                recurrence=recurrence,
                status=["in_progress", "completed", "not_started"][i % 3],
                progress=i % 100,
                reported_through=date(2026, 12, 31) if i % 2 else None,
            )
        )
    created = Requirement.objects.bulk_create(rows)
    Assignment.objects.bulk_create(
        [Assignment(requirement=r, role="responsible", department=water) for r in created]
        + [Assignment(requirement=r, role="cooperating", department=air) for r in created]
    )
    official = base.lead_officials.get()
    Requirement.lead_officials.through.objects.bulk_create(
        [Requirement.lead_officials.through(requirement=r, official=official) for r in created]
    )


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
        assert response.status_code == 200
    return captured, response


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"light": "green"},
        {"light": "yellow"},
        {"due_within": 400},
        {"role": "responsible", "q": "批量", "status": "in_progress"},
    ],
)
def test_it_renders_64_and_640_requirements_in_the_same_number_of_queries(client, leader, reference, params):
    water = Department.objects.get(name="水生态环境处")
    air = Department.objects.get(name="大气环境处")
    client.force_login(leader)
    params = {**params, "department": water.pk, "per_page": 100}
    _add_requirements(64, water, air)
    few, response = _count_queries(client, params)
    assert len(list(response.context["table"].paginated_rows)) > 0
    _add_requirements(640 - 64, water, air)
    many, response = _count_queries(client, params)
    assert Requirement.objects.count() == 640
    assert len(list(response.context["table"].paginated_rows)) > 0
    assert len(many) == len(few) <= 25, [q["sql"][:120] for q in many.captured_queries]


def test_it_caps_the_page_size_a_url_can_ask_for(client, leader, reference):
    water = Department.objects.get(name="水生态环境处")
    air = Department.objects.get(name="大气环境处")
    _add_requirements(250, water, air)
    client.force_login(leader)
    assert len(client.get(URL, {"per_page": 100000}).context["table"].page.object_list) == 200
    assert len(client.get(URL, {"per_page": "abc"}).context["table"].page.object_list) == 25


def test_it_exports_text_that_looks_like_a_formula_as_text(client, leader, sample_table):
    import io

    from openpyxl import load_workbook

    Requirement.objects.filter(number=1).update(text='=HYPERLINK("http://evil","x")')
    client.force_login(leader)
    response = client.get(reverse("tasks:dashboard-export"), {"q": "HYPERLINK"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=4)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://evil","x")', "s", True)


def test_a_report_landing_between_the_summary_and_the_page_does_not_break_the_page(
    client, leader, sample_table, monkeypatch
):
    """Found by `make load`: the states query counts the rows, then the page reads them; a report filed in
    between could add a row to the page that had no state (500). The page shows the rows counted."""
    from tasks.models import RequirementQuerySet

    original = RequirementQuerySet.states

    def states_then_a_report_lands(self, *, on):
        result = original(self, on=on)
        Requirement.objects.filter(number=2).update(status="completed")
        return result

    Requirement.objects.filter(number=5).update(status="completed")
    monkeypatch.setattr(RequirementQuerySet, "states", states_then_a_report_lands)
    client.force_login(leader)
    response = client.get(URL, {"status": "completed", "per_page": 100})
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 1 and _numbers(response) == [5]


@pytest.mark.parametrize("per_page", ["-1", "0", " -5", "abc", "100000"])
def test_a_crafted_per_page_neither_breaks_the_page_nor_renders_everything(client, leader, sample_table, per_page):
    client.force_login(leader)
    response = client.get(URL, {"per_page": per_page})
    assert response.status_code == 200
    table = response.context["table"]
    assert 1 <= table.paginator.per_page <= 200 and table.paginator.count == 64


def test_the_filter_offers_departments_in_the_database_order(client, leader, sample_table):
    """Equal sort_order: the database's collation decides, as in the admin and everywhere else."""
    from tasks.filters import FilterChoices

    Department.objects.update(sort_order=100)
    expected = list(Department.objects.active().order_by("sort_order", "name").values_list("pk", flat=True))
    assert list(FilterChoices.load().departments) == expected


def test_it_sorts_by_light_and_next_due_correctly_at_6400_requirements(client, leader, sample_table):
    # The order the SQL gives is the order the Python rules give, for every one of 6,400 requirements
    # (the table grown as `make bench` grows it, with a spread of statuses, reports and postponements).
    from datetime import date, timedelta

    from bench.figures import _grow_to

    assert _grow_to(6400) == 6400
    Requirement.objects.filter(number__gt=64, number__lt=2000).update(status="in_progress", progress=50)
    Requirement.objects.filter(number__gt=3000, number__lt=3500).update(status="completed", progress=100)
    Requirement.objects.filter(number__gt=4000, number__lt=4500, deadline_kind="date").update(
        postponed_to=date(2027, 6, 30)
    )
    Requirement.objects.filter(number__gt=5000, number__lt=5600).update(reported_through=date(2026, 9, 30))
    today = timezone.localdate()
    expected = {}
    for r in Requirement.objects.select_related("breakdown"):
        expected[r.number] = (list(LightCode).index(r.light(on=today).code), r.next_due(on=today) or date.max)
    client.force_login(leader)
    for sort, key in (
        ("light", lambda n: (expected[n][0], n)),
        ("-light", lambda n: (-expected[n][0], n)),
        ("next_due", lambda n: (expected[n][1], n)),
    ):
        shown = _in_order(client.get(URL, {"sort": sort, "per_page": 200, "page": 2}))
        assert shown == sorted(expected, key=key)[200:400], sort
    assert max(expected[n][1] for n in expected if expected[n][1] != date.max) > today + timedelta(days=1)


def test_it_finds_a_requirement_by_its_number_or_lead_official(client, leader, sample_table):
    client.force_login(leader)
    assert _numbers(client.get(URL, {"q": "43", "per_page": 100})) == [43]
    liu = Official.objects.get(name="刘初汉")
    expected = sorted(Requirement.objects.filter(lead_officials=liu).values_list("number", flat=True))
    assert expected and _numbers(client.get(URL, {"q": "刘初汉", "per_page": 100})) == expected


def test_its_filters_offer_all_rather_than_dashes(client, leader, sample_table):
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert '<option value="" selected>全部</option>' in page and "---------" not in page


def test_its_summary_adds_up_to_the_total_and_links_the_postponed(client, leader, sample_table):
    from datetime import date

    Requirement.objects.filter(number__in=[15, 34]).update(postponed_to=date(2030, 6, 30))
    client.force_login(leader)
    response = client.get(URL)
    cards = response.context["summary"]
    assert sum(count for _code, _label, count, _link in cards) == response.context["total"] == 64
    count, link = response.context["postponed"]
    assert count == 2 and f'href="{link}"' in response.content.decode().replace("&amp;", "&")
    assert _numbers(client.get(URL + link + "&per_page=100")) == [15, 34]


@pytest.mark.parametrize("sort", ["officials", "-officials", "responsible", "-responsible", "-next_due"])
def test_it_sorts_by_official_department_and_next_due_descending(client, leader, sample_table, sort):
    today = timezone.localdate()
    rows = Requirement.objects.select_related("breakdown").prefetch_related(
        "lead_officials", "assignments__department", "assignments__collective"
    )
    keys = {}
    for r in rows:
        officials = sorted(r.lead_officials.all(), key=lambda o: (o.sort_order, o.name))
        keys[r.number] = {
            "officials": officials[0].sort_order if officials else None,
            "responsible": (r.responsible_names or [None])[0],
            "next_due": r.next_due(on=today),
        }
    field = sort.lstrip("-")
    present = sorted((n for n in keys if keys[n][field] is not None), key=lambda n: (keys[n][field], n))
    if sort.startswith("-"):  # descending on the key, the number still ascending among equals; empty keys last
        present = sorted(present, key=lambda n: n)
        present = sorted(present, key=lambda n: keys[n][field], reverse=True)
    expected = present + sorted(n for n in keys if keys[n][field] is None)
    client.force_login(leader)
    assert _in_order(client.get(URL, {"sort": sort, "per_page": 100})) == expected
