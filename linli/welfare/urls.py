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
        "c/<slug:code>/welfare/recipients/<int:pk>/<slug:action>/",
        views.benefit_step,
        name="benefit_step",
    ),
    path("c/<slug:code>/welfare/mine/<int:pk>/report/", views.report_change, name="report_change"),
    path("c/<slug:code>/welfare/recipients.xlsx", views.register_export, name="register_export"),
    path("c/<slug:code>/welfare/<int:pk>/", views.detail, name="detail"),
    path("c/<slug:code>/welfare/<int:pk>/step/<slug:action>/", views.step, name="step"),
]
