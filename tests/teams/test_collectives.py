from teams.models import Collective, Department
from teams.names import normalize_name, split_names


def test_it_resolves_collective_words_to_departments(reference):
    offices = set(Collective.objects.get(name="各处室").departments().values_list("name", flat=True))
    assert {"水生态环境处", "大气环境处", "办公室"} <= offices
    assert "福田管理局" not in offices
    districts = set(Collective.objects.get(name="各管理局").departments().values_list("name", flat=True))
    assert len(districts) == 10 and "福田管理局" in districts
    branches = Collective.objects.get(name="各党支部").departments()
    assert branches.exists() and all(d.kind == "party_branch" for d in branches)
    hosts = set(Collective.objects.get(name="各行动队").departments().values_list("name", flat=True))
    assert {"水生态环境处", "深圳市环境监测中心站"} <= hosts


def test_it_lets_a_new_department_join_its_collective(reference):
    Department.objects.create(name="前海管理局", kind="district")
    names = Collective.objects.get(name="各管理局").departments().values_list("name", flat=True)
    assert "前海管理局" in names


def test_it_finds_departments_by_alias_and_odd_spacing(reference):
    assert Department.objects.by_name("监测站").name == "深圳市环境监测中心站"
    assert Department.objects.by_name(" 水生态 环境处 ").name == "水生态环境处"
    assert Department.objects.by_name("人事处") is None


def test_it_splits_cells_on_every_separator_offices_use():
    assert split_names("办公室、组织人事处，机关党委;财务审计处／信访办\n综合规划处") == [
        "办公室",
        "组织人事处",
        "机关党委",
        "财务审计处",
        "信访办",
        "综合规划处",
    ]
    assert normalize_name("ＡＢＣ　处") == "ABC处"
