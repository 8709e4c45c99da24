"""Issue 15, hostile input: random workbooks through the upload page, the preview and the
confirmation. A real 附件1 or 附件3 with random cells overwritten, random merges and sheet
names, or a sheet of random cells; written as .xlsx, as WPS saves it or as .xls; then maybe
cut short, a byte flipped, a zip member dropped or filled with junk. Whatever comes in:
never a 500, a refusal says why in Chinese and leaves no trace, and a run with errors
cannot be confirmed into any figure."""
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingnong.ledger.models import ReportedProgress
from qingnong.reports.models import ImportRun, ImportStatus
from qingnong.reports.tests import corpus as C

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
VALUE = st.one_of(
    st.none(), TEXT, st.sampled_from(["=1+1", "+86", "-", "@SUM(A1)", "<script>alert(1)</script>", "１２", "十二", " 12 ",
                                      "鱼河镇", "合计", "1e309", "NaN", "12.5", "-3", "0x1F", "２０１４年１０月３１日"]),
    st.integers(min_value=-10**18, max_value=10**18), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
SHEET_NAME = st.text(alphabet=st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs", "Cc"), blacklist_characters="[]:*?/\\'"),
                     min_size=1, max_size=31)


@st.composite
def sheets(draw):
    kind = draw(st.sampled_from(["progress", "plan", "random"]))
    sheet = C.progress_sheet() if kind == "progress" else C.plan_sheet() if kind == "plan" else C.Sheet(name="表1")
    for _ in range(draw(st.integers(0, 25))):
        sheet.cells[(draw(st.integers(0, 40)), draw(st.integers(0, 30)))] = draw(VALUE)
    sheet.cells = {k: v for k, v in sheet.cells.items() if v is not None}
    if draw(st.booleans()):
        r0, c0 = draw(st.integers(0, 40)), draw(st.integers(0, 30))
        merge = (r0, c0, r0 + draw(st.integers(0, 5)), c0 + draw(st.integers(0, 5)))
        if merge[2:] != merge[:2] and not any(_overlap(merge, m) for m in sheet.merges):
            sheet.merges.append(merge)
    if draw(st.booleans()):
        sheet.name = draw(SHEET_NAME)
    return sheet


def _overlap(a, b):
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _drop_or_junk(data, draw):
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        victim = draw(st.sampled_from(names))
        junk = draw(st.booleans())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in names:
                if name != victim:
                    target.writestr(name, source.read(name))
                elif junk:
                    target.writestr(name, draw(st.binary(max_size=200)))
    return out.getvalue()


@st.composite
def workbooks(draw):
    sheet = draw(sheets())
    writer = draw(st.sampled_from(["xlsx", "wps", "xls"]))
    data = {"xlsx": C.to_xlsx, "wps": C.to_wps_xlsx, "xls": C.to_xls}[writer](sheet)
    damage = draw(st.sampled_from(["none", "none", "cut", "flip", "member"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    elif damage == "member" and writer != "xls":
        data = _drop_or_junk(data, draw)
    return writer, data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(book=workbooks(), form_code=st.sampled_from(["progress", "plan"]))
def test_any_workbook_gets_an_answer_never_a_500_and_a_refusal_leaves_nothing(client_for, world, book, form_code):
    writer, data = book
    client = client_for(world.county_a_admin)
    runs, figures = ImportRun.objects.count(), ReportedProgress.objects.count()
    upload = SimpleUploadedFile(f"附件.{'xls' if writer == 'xls' else 'xlsx'}", data)
    response = client.post(reverse("reports:import-upload", kwargs={"org_id": world.county_a.pk}),
                           {"form_code": form_code, "file": upload})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused: the reason is on the page, nothing kept
        assert 'class="error"' in response.content.decode() or 'class="errors"' in response.content.decode()
        assert (ImportRun.objects.count(), ReportedProgress.objects.count()) == (runs, figures)
        return
    run = ImportRun.objects.latest("pk")
    assert client.get(response["Location"]).status_code == 200
    confirm = client.post(reverse("reports:import-confirm", kwargs={"run_id": run.pk}))
    assert confirm.status_code in (200, 302, 403), confirm.status_code
    run.refresh_from_db()
    if run.problems and any(p["level"] == "error" for p in run.problems):
        assert run.status != ImportStatus.IMPORTED and ReportedProgress.objects.count() == figures
