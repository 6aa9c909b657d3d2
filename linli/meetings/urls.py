from django.urls import path

from linli.meetings import views

app_name = "meetings"
urlpatterns = [
    path("me/meetings/", views.mine, name="mine"),
    path("me/meetings/join/", views.join, name="join"),
    path("org/meetings/", views.invitations, name="invitations"),
    path("org/meetings/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("c/<slug:code>/meetings/", views.meeting_list, name="list"),
    path("c/<slug:code>/meetings/new/", views.meeting_new, name="new"),
    path("c/<slug:code>/meetings/organisations/", views.organisations, name="organisations"),
    path("c/<slug:code>/meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("c/<slug:code>/meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("c/<slug:code>/meetings/<int:pk>/count/", views.count, name="count"),
    path("c/<slug:code>/meetings/<int:pk>/search/", views.search, name="search"),
    path("c/<slug:code>/meetings/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("c/<slug:code>/meetings/<int:pk>/guest/", views.guest, name="guest"),
    path("c/<slug:code>/meetings/<int:pk>/leave/<int:attendance>/", views.leave, name="leave"),
    path("c/<slug:code>/meetings/<int:pk>/opinion/", views.opinion, name="opinion"),
    path(
        "c/<slug:code>/meetings/<int:pk>/opinions/<int:opinion>/classify/",
        views.classify,
        name="classify",
    ),
    path("c/<slug:code>/meetings/<int:pk>/resolution/", views.resolution, name="resolution"),
    path("c/<slug:code>/meetings/<int:pk>/open/", views.open_meeting, name="open"),
    path("c/<slug:code>/meetings/<int:pk>/close/", views.close_meeting, name="close"),
    path("c/<slug:code>/meetings/<int:pk>/cancel/", views.cancel_meeting, name="cancel"),
    path("c/<slug:code>/meetings/<int:pk>/approve/", views.approve_minutes, name="approve"),
    path("c/<slug:code>/petitions/", views.petitions, name="petitions"),
    path("c/<slug:code>/petitions/<int:pk>/", views.petition, name="petition"),
    path("c/<slug:code>/petitions/<int:pk>/sign/", views.sign, name="sign"),
    path("c/<slug:code>/petitions/<int:pk>/paper/", views.paper, name="paper"),
]
