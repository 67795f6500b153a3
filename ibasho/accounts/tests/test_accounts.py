import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ibasho.accounts.models import ApiToken, Membership, Role, hash_token


@pytest.mark.django_db
class TestTokenCommand:
    def test_prints_a_token_that_is_stored_only_as_a_hash(self, worker_a, capsys):
        call_command("token", "worker_a")
        raw = capsys.readouterr().out.strip()
        token = ApiToken.objects.get()
        assert raw.startswith("ibs_")
        assert token.key_hash == hash_token(raw) and raw not in token.key_hash
        assert token.membership == worker_a

    def test_unknown_user_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="nobody"):
            call_command("token", "nobody")

    def test_user_in_two_organisations_must_choose(self, worker_a, org_b, capsys):
        Membership.objects.create(organisation=org_b, user=worker_a.user, role=Role.WORKER)
        with pytest.raises(CommandError, match="--organisation"):
            call_command("token", "worker_a")
        call_command("token", "worker_a", organisation=str(org_b.code))
        assert ApiToken.objects.get().organisation == org_b


@pytest.mark.django_db
class TestOrganisationSwitch:
    def test_switch_to_own_second_organisation(self, client_for, worker_a, org_b, person_a):
        Membership.objects.create(organisation=org_b, user=worker_a.user, role=Role.WORKER)
        client = client_for(worker_a)
        detail = reverse("people:person_detail", args=[person_a.code])
        assert client.get(detail).status_code == 200
        client.post(reverse("switch_organisation"), {"organisation": str(org_b.code)})
        assert client.get(detail).status_code == 404

    def test_cannot_switch_into_a_stranger_organisation(self, client_for, worker_a, org_b):
        response = client_for(worker_a).post(
            reverse("switch_organisation"), {"organisation": str(org_b.code)}
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("code", ["", "not-a-code"])
    def test_a_malformed_organisation_code_is_not_found(self, client_for, worker_a, code):
        response = client_for(worker_a).post(reverse("switch_organisation"), {"organisation": code})
        assert response.status_code == 404

    def test_deactivated_membership_loses_access(self, client_for, worker_a, person_a):
        client = client_for(worker_a)
        worker_a.is_active = False
        worker_a.save()
        detail = reverse("people:person_detail", args=[person_a.code])
        assert client.get(detail).status_code == 404


@pytest.mark.django_db
class TestLogin:
    def test_login_page_in_japanese_by_default(self, client):
        html = client.get(reverse("login")).content.decode()
        assert "ログイン" in html and 'lang="ja"' in html

    def test_login_page_in_english_when_the_browser_asks(self, client):
        html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Log in" in html and 'lang="en"' in html

    def test_password_is_hashed_with_argon2_in_production_settings(self):
        from django.conf import settings

        from ibasho import settings as project_settings

        assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert settings.AUTH_USER_MODEL == "accounts.User"

    def test_worker_logs_in_and_lands_on_people(self, client, worker_a):
        from conftest import PASSWORD

        response = client.post(reverse("login"), {"username": "worker_a", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
class TestPasswordChange:
    def test_a_member_changes_their_password(self, client_for, worker_a):
        from conftest import PASSWORD

        client = client_for(worker_a)
        assert client.get(reverse("password_change")).status_code == 200
        new = "a much longer passphrase 42"
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
            follow=True,
        )
        assert "Your password has been changed" in response.content.decode()
        worker_a.user.refresh_from_db()
        assert worker_a.user.check_password(new)

    def test_a_wrong_old_password_changes_nothing(self, client_for, worker_a):
        from conftest import PASSWORD

        new = "a much longer passphrase 42"
        response = client_for(worker_a).post(
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 200 and response.context["form"].errors
        worker_a.user.refresh_from_db()
        assert worker_a.user.check_password(PASSWORD)

    def test_signed_out_goes_to_login(self, client):
        assert client.get(reverse("password_change")).status_code == 302
