"""Campaign views: settings (the city's campaign), plans (附件1), the dashboard.

Each module lists its own URL patterns in `urls`."""


def relation_required(predicate):
    """Declare the relation to the URL's org a workflow view needs besides a role: one of
    org.scoping's is_own_org (a county fills in its own 附件1), is_above (the city reviews
    it) or in_scope (the city edits its own campaign). The view checks it itself, after
    fetching the org (so another county's record stays a 404); the scope matrix test reads
    it to know who must get a 403."""

    def decorator(view):
        view.required_relation = predicate
        return view

    return decorator
