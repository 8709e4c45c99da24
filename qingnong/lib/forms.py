"""Small helpers shared by views that call services from forms."""
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.conf import settings


def run_service(form, service, **kwargs):
    """Call `service`; a ValidationError it raises lands on the form. Returns (ok, result)."""
    try:
        return True, service(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False, None


def paginate(request, queryset, per_page=None):
    """One page of `queryset` (two queries: COUNT and the page itself)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def conflict_rows(form, current, fields):
    """(label, what you typed, what is saved now) for each field someone else changed."""
    rows = []
    for name in fields:
        mine = form.data.get(name, "")
        theirs = getattr(current, name, "")
        if hasattr(current, f"get_{name}_display"):
            theirs = getattr(current, f"get_{name}_display")()
        if str(mine) != str(theirs if theirs is not None else ""):
            rows.append((form.fields[name].label, mine, theirs))
    return rows
