from django.urls import path

from . import reports, views

app_name = "ratings"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.session_list, name="list"),
    path("to-chuc/<str:code>/mo-ky/", views.session_open, name="open"),
    path("to-chuc/<str:code>/danh-sach/", views.subjects, name="subjects"),
    path("to-chuc/<str:code>/ket-qua/", views.results, name="results"),
    path("to-chuc/<str:code>/ket-qua.xlsx", reports.results_xlsx, name="results_xlsx"),
    path("to-chuc/<str:code>/ket-qua.docx", reports.results_docx, name="results_docx"),
    path("to-chuc/<str:code>/sang-loc/", views.screening, name="screening"),
    path("to-chuc/<str:code>/tin-nhiem/", views.votes, name="votes"),
    path("to-chuc/<str:code>/tin-nhiem.xlsx", reports.votes_xlsx, name="votes_xlsx"),
    path("to-chuc/<str:code>/tin-nhiem/them/", views.vote_add, name="vote_add"),
    path("dang-vien/<int:pk>/", views.member_history, name="member"),
    path("doi-tuong/<int:pk>/buoc/<slug:step>/", views.step, name="step"),
    path("doi-tuong/<int:pk>/quyet-dinh/", views.decide, name="decide"),
    path("doi-tuong/<int:pk>/sua-huy/", views.correct_decision, name="correct_decision"),
    path("to-chuc/<str:code>/tin-nhiem/sua-huy/", views.correct_vote, name="correct_vote"),
]
