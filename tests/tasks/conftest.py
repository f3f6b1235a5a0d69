"""Fixtures for the staff workflow: a requirement with a responsible and a cooperating department."""

from datetime import date

import pytest

from teams.models import Collective, Department
from tests.factories import make_breakdown, make_requirement


def tiny_pdf():
    """A minimal but well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def water(reference):
    return Department.objects.get(name="水生态环境处")


@pytest.fixture
def air(reference):
    return Department.objects.get(name="大气环境处")


@pytest.fixture
def requirement(reference, water, air):
    """Due 2026-12-31; 水生态环境处 responsible, 大气环境处 cooperating."""
    make_breakdown(starts_on=date(2026, 1, 1))
    return make_requirement(text="消除黑臭水体", responsible=[water], cooperating=[air], due_date=date(2026, 12, 31))


@pytest.fixture
def district_requirement(reference, requirement):
    """各管理局 responsible: staff of any 管理局 report on it."""
    return make_requirement(text="辖区噪声投诉整治", responsible=[Collective.objects.get(name="各管理局")])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence goes to a temporary directory, never the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
