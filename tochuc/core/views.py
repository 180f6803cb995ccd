from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator


def home(request):
    """The user's organizations; one goes straight to it; none says whom to ask."""
    homes = request.scope.home_organizations() if request.scope.grants else []
    if len(homes) == 1:
        return redirect("organizations:detail", code=homes[0].code)
    return render(request, "core/home.html", {"homes": homes})


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
