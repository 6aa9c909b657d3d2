from django.urls import path

from linli.notices import views

app_name = "notices"
urlpatterns = [
    path("n/<slug:code>/", views.board, name="board"),
    path("n/<slug:code>/archive/", views.archive, name="archive"),
    path("n/<slug:code>/<int:pk>/", views.detail, name="detail"),
    path("n/<slug:code>/<int:pk>/print/", views.print_view, name="print"),
    path("n/<slug:code>/<int:pk>/files/<int:file_pk>/", views.attachment, name="attachment"),
    path("n/<slug:code>/<int:pk>/objection/", views.object_to, name="object"),
    path("n/<slug:code>/receipt/<str:token>/", views.receipt, name="receipt"),
    path("c/<slug:code>/notices/", views.desk, name="desk"),
    path("c/<slug:code>/notices/new/", views.publish, name="publish"),
    path("c/<slug:code>/notices/<int:pk>/", views.manage, name="manage"),
    path("c/<slug:code>/notices/<int:pk>/correct/", views.correct, name="correct"),
    path("c/<slug:code>/notices/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("c/<slug:code>/objections/<int:pk>/answer/", views.answer, name="answer"),
]
