from django.urls import path

from linli.welfare import views

app_name = "welfare"
urlpatterns = [
    path("c/<slug:code>/welfare/", views.application_list, name="list"),
    path("c/<slug:code>/welfare/new/", views.new, name="new"),
    path("c/<slug:code>/welfare/apply/", views.apply, name="apply"),
    path("c/<slug:code>/welfare/mine/", views.mine, name="mine"),
    path("c/<slug:code>/welfare/relatives/", views.relatives, name="relatives"),
    path("c/<slug:code>/welfare/recipients/", views.register, name="register"),
    path("c/<slug:code>/welfare/recipients/<int:pk>/", views.benefit, name="benefit"),
    path(
        "c/<slug:code>/welfare/recipients/<int:pk>/review/",
        views.benefit_review,
        name="benefit_review",
    ),
    path(
        "c/<slug:code>/welfare/recipients/<int:pk>/state/",
        views.benefit_state,
        name="benefit_state",
    ),
    path(
        "c/<slug:code>/welfare/recipients/<int:pk>/report/",
        views.benefit_report,
        name="benefit_report",
    ),
    path("c/<slug:code>/welfare/mine/<int:pk>/report/", views.report_change, name="report_change"),
    path("c/<slug:code>/welfare/recipients.xlsx", views.register_export, name="register_export"),
    path("c/<slug:code>/welfare/<int:pk>/", views.detail, name="detail"),
    path("c/<slug:code>/welfare/<int:pk>/materials/", views.materials, name="materials"),
    path("c/<slug:code>/welfare/<int:pk>/investigate/", views.investigate, name="investigate"),
    path("c/<slug:code>/welfare/<int:pk>/checks/", views.checks, name="checks"),
    path("c/<slug:code>/welfare/<int:pk>/opinion/", views.opinion, name="opinion"),
    path("c/<slug:code>/welfare/<int:pk>/assess/", views.assess, name="assess"),
    path("c/<slug:code>/welfare/<int:pk>/pay-first/", views.pay_first, name="pay_first"),
    path("c/<slug:code>/welfare/<int:pk>/objection/", views.objection, name="objection"),
    path("c/<slug:code>/welfare/<int:pk>/decide/", views.decide, name="decide"),
]
