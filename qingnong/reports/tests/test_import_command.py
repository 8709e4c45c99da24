"""qingnong import-form {plan|progress} FILE --org CODE [--dry-run]: the preview as text,
exit 0 when it imported (or would), 1 with `CELL: reason` lines and nothing written."""
import pytest
from django.core.management import CommandError, call_command

from qingnong.campaign.models import CountyPlan
from qingnong.ledger.models import ReportedProgress
from qingnong.reports.models import ImportRun
from qingnong.reports.tests import corpus as C


def write(tmp_path, data, name="附件3.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_dry_run_prints_the_preview_and_writes_nothing(world, tmp_path, capsys):
    call_command("import_form", "progress", write(tmp_path, C.to_xlsx(C.progress_sheet())), "--org", "610802", "--dry-run")
    out = capsys.readouterr().out
    assert "附件3 跟踪摸底表 · 榆阳区" in out and "截至 2014-10-31" in out
    assert "鱼河镇\t10*\t20*" in out and "检查通过（--dry-run：没有写入）" in out
    assert not ImportRun.objects.exists() and not ReportedProgress.objects.exists()


def test_import_writes_and_exits_0(world, tmp_path, capsys):
    call_command("import_form", "progress", write(tmp_path, C.to_xls(C.progress_sheet()), "附件3.xls"), "--org", "610802")
    assert "已导入" in capsys.readouterr().out
    run = ImportRun.objects.get()
    assert run.status == "imported" and run.created_by is None and run.file_name == "附件3.xls"
    assert ReportedProgress.objects.count() == 3


def test_errors_exit_1_with_cell_reasons_and_nothing_written(world, tmp_path, capsys):
    rows = C.base_rows()
    rows[0] = (rows[0][0], {**rows[0][1], "youth_count": "十二", "cadre_count": -3})
    path = write(tmp_path, C.to_xlsx(C.progress_sheet(rows)))
    with pytest.raises(SystemExit) as exit:
        call_command("import_form", "progress", path, "--org", "610802")
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert "C6: 不能是负数（-3）。" in err and "D6: “十二”不是数字" in err
    assert not ImportRun.objects.exists() and not ReportedProgress.objects.exists()


def test_bad_file_exits_1(world, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("import_form", "progress", write(tmp_path, C.password_xlsx()), "--org", "610802", "--dry-run")
    assert exit.value.code == 1 and "设置了打开密码" in capsys.readouterr().err


def test_plan_needs_the_countys_account(world, tmp_path, capsys):
    path = write(tmp_path, C.to_xlsx(C.plan_sheet()), "附件1.xlsx")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_form", "plan", path, "--org", "610802")
    call_command("import_form", "plan", path, "--org", "610802", "--user", "county_a_admin")
    assert "已导入" in capsys.readouterr().out
    assert CountyPlan.objects.get(org=world.county_a).wechat_lead == "王五"


def test_unknown_org(world, tmp_path):
    with pytest.raises(CommandError, match="没有行政区划代码为 999"):
        call_command("import_form", "progress", write(tmp_path, b"x"), "--org", "999")
