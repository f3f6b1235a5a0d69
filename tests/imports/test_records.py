import io

import pytest
from django.core.files.storage import default_storage

from imports.errors import UnreadableFile
from imports.models import ImportRecord
from imports.records import import_record_create, import_record_data


def test_it_keeps_the_upload_in_default_storage_under_its_digest(db):
    record = import_record_create(kind="rosters", data=b"a,b\n1,2\n", filename="../../etc/名单.csv")
    record = ImportRecord.objects.get(pk=record.pk)
    assert record.file_name == "名单.csv"
    assert record.file.name.startswith("imports/") and record.file.name.endswith(f"{record.sha256[:32]}.csv")
    assert default_storage.exists(record.file.name)
    assert (import_record_data(record), record.size, record.applied) == (b"a,b\n1,2\n", 8, False)


def test_it_refuses_a_stored_file_altered_or_gone(db):
    record = import_record_create(kind="rosters", data=b"a,b\n", filename="x.csv")
    default_storage.delete(record.file.name)
    default_storage.save(record.file.name, io.BytesIO(b"a,c\n"))
    with pytest.raises(UnreadableFile, match="已被改动"):
        import_record_data(record)
    default_storage.delete(record.file.name)
    with pytest.raises(UnreadableFile, match="已不存在"):
        import_record_data(record)
