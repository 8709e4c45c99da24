from django.urls import include, path

urlpatterns = [
    path("", include("qingnong.accounts.urls")),
    path("", include("qingnong.portal.urls")),
    path("ledger/", include("qingnong.ledger.urls")),
    path("campaign/", include("qingnong.campaign.urls")),
    path("reports/", include("qingnong.reports.urls")),
    path("inspection/", include("qingnong.inspection.urls")),
    path("wechat/", include("qingnong.wechat.urls")),
]

handler403 = "qingnong.lib.errors.permission_denied"
handler404 = "qingnong.lib.errors.page_not_found"
handler500 = "qingnong.lib.errors.server_error"
