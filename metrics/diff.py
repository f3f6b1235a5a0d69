"""What differs between a published bulletin and the live draft of the same month: figures, not labels.

Both sides are facts (metrics.bulletin); labels are added for the reader in the active language, so a
published bulletin read in English lists only what really changed."""

from django.utils.translation import gettext as _

from metrics.present import present


def _indicator_key(row):
    return (row["code"], row["area"])


def _placing(row):
    if row.get("rank") is None:
        return _("本月无到期事项")
    return f"{row['rank']}（{row['score']}）"


def bulletin_diff(published, live):
    """[{what, before, after}] for every figure or list entry that changed since publication."""
    published, live = present(published), present(live)
    changes = []

    def add(what, before, after):
        if before != after:
            changes.append(
                {
                    "what": what,
                    "before": "—" if before in (None, "") else str(before),
                    "after": "—" if after in (None, "") else str(after),
                }
            )

    old = {_indicator_key(r): r for r in published.get("indicators", [])}
    new = {_indicator_key(r): r for r in live.get("indicators", [])}
    labels = {"month": _("当月"), "ytd": _("累计"), "last_ytd": _("上年同期")}
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key, {}), new.get(key, {})
        name = f"{(b or a)['area']}{(b or a)['name']}"
        for field, label in labels.items():
            add(f"{name} · {label}", a.get(field), b.get(field))
        before, after = (a.get("change") or {}), (b.get("change") or {})
        if (before.get("absolute"), before.get("relative")) != (after.get("absolute"), after.get("relative")):
            add(
                f"{name} · {_('同比')}",
                before.get("text") or before.get("absolute"),
                after.get("text") or after.get("absolute"),
            )
    categories = [c["code"] if isinstance(c, dict) else c for c in live["progress"]["categories"]]
    names = {c["code"]: c["label"] for c in live["progress"]["categories"]}
    for code in categories:
        add(
            _("具体要求 · %(label)s") % {"label": names.get(code, code)},
            published["progress"]["overall"].get(code),
            live["progress"]["overall"].get(code),
        )
    old_risk = {r["number"]: r for r in published.get("at_risk", [])}
    new_risk = {r["number"]: r for r in live.get("at_risk", [])}
    for number in sorted(set(old_risk) | set(new_risk)):
        a, b = old_risk.get(number), new_risk.get(number)
        if (a or {}).get("light") == (b or {}).get("light"):
            continue
        add(
            _("逾期及风险事项 · 第%(n)d项") % {"n": number},
            a["light_label"] if a else _("不在清单"),
            b["light_label"] if b else _("不在清单"),
        )
    old_rank = {r["department"]: r for r in published["scorecard"]["rows"]}
    for row in live["scorecard"]["rows"]:
        before = old_rank.get(row["department"])
        if before and (before["rank"], before["score"]) == (row["rank"], row["score"]):
            continue
        add(
            _("部门排名 · %(department)s") % {"department": row["department"]},
            _placing(before) if before else None,
            _placing(row),
        )
    return changes
