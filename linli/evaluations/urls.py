from django.urls import path

from linli.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("me/evaluations/", views.mine, name="mine"),
    path("c/<slug:code>/evaluations/", views.campaign_list, name="list"),
    path("c/<slug:code>/evaluations/new/", views.campaign_new, name="new"),
    path("c/<slug:code>/evaluations/<int:pk>/", views.campaign_detail, name="detail"),
    path("c/<slug:code>/evaluations/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("c/<slug:code>/evaluations/<int:pk>/answer/", views.answer, name="answer"),
    path("c/<slug:code>/evaluations/<int:pk>/paper-out/", views.paper_out, name="paper_out"),
    path("c/<slug:code>/evaluations/<int:pk>/batches/", views.batches, name="batches"),
    path("c/<slug:code>/evaluations/batches/<int:batch>/", views.batch, name="batch"),
    path("c/<slug:code>/evaluations/tasks/<int:task>/", views.task, name="task"),
    path("c/<slug:code>/evaluations/<int:pk>/results.xlsx", views.export, name="export"),
]
