from django.urls import path

from linli.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("me/evaluations/", views.mine, name="mine"),
    path("c/<slug:code>/evaluations/", views.campaign_list, name="list"),
    path("c/<slug:code>/evaluations/new/", views.campaign_new, name="new"),
    path("c/<slug:code>/evaluations/<int:pk>/", views.campaign_detail, name="detail"),
    path("c/<slug:code>/evaluations/<int:pk>/open/", views.open_campaign, name="open"),
    path("c/<slug:code>/evaluations/<int:pk>/close/", views.close_campaign, name="close"),
    path("c/<slug:code>/evaluations/<int:pk>/publish/", views.publish_results, name="publish"),
    path("c/<slug:code>/evaluations/<int:pk>/answer/", views.answer, name="answer"),
    path("c/<slug:code>/evaluations/<int:pk>/paper-out/", views.paper_out, name="paper_out"),
    path("c/<slug:code>/evaluations/<int:pk>/batches/", views.batches, name="batches"),
    path("c/<slug:code>/evaluations/batches/<int:batch>/", views.batch, name="batch"),
    path(
        "c/<slug:code>/evaluations/batches/<int:batch>/check/",
        views.check_batch,
        name="check_batch",
    ),
    path("c/<slug:code>/evaluations/tasks/<int:task>/", views.task, name="task"),
    path("c/<slug:code>/evaluations/<int:pk>/results.xlsx", views.export, name="export"),
]
