from django.urls import path

from linli.ballots import views

app_name = "ballots"
urlpatterns = [
    path("me/ballots/", views.mine, name="mine"),
    path("c/<slug:code>/ballots/", views.ballot_list, name="list"),
    path("c/<slug:code>/ballots/new/", views.ballot_new, name="new"),
    path("c/<slug:code>/ballots/<int:pk>/", views.ballot_detail, name="detail"),
    path("c/<slug:code>/ballots/<int:pk>/open/", views.open_ballot, name="open"),
    path("c/<slug:code>/ballots/<int:pk>/close/", views.close_ballot, name="close"),
    path("c/<slug:code>/ballots/<int:pk>/count/", views.count_ballot, name="count"),
    path("c/<slug:code>/ballots/<int:pk>/publish/", views.publish_results, name="publish"),
    path("c/<slug:code>/ballots/<int:pk>/paper-out/", views.paper_out, name="paper_out"),
    path(
        "c/<slug:code>/ballots/<int:pk>/nominate/<int:candidate>/",
        views.nominate,
        name="nominate",
    ),
    path("c/<slug:code>/ballots/<int:pk>/paper/", views.paper, name="paper"),
    path(
        "c/<slug:code>/ballots/<int:pk>/paper/withdraw/",
        views.paper_withdraw,
        name="paper_withdraw",
    ),
    path("c/<slug:code>/ballots/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("c/<slug:code>/ballots/<int:pk>/vote/", views.vote, name="vote"),
    path("b/<slug:code>/<int:pk>/", views.bulletin, name="bulletin"),
    path("b/<slug:code>/<int:pk>/bulletin.json", views.bulletin_file, name="bulletin_file"),
]
