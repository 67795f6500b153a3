import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from ibasho.accounts.keycheck import verify_field_keys
from ibasho.lib import fields
from ibasho.people.models import Person


@pytest.fixture
def keys(settings):
    def use(*new_keys):
        settings.FIELD_ENCRYPTION_KEYS = list(new_keys)
        fields._fernet.cache_clear()

    yield use
    fields._fernet.cache_clear()


@pytest.mark.django_db
def test_a_wrong_key_fails_loudly_instead_of_showing_ciphertext(keys, org_a):
    keys(Fernet.generate_key().decode())
    person = Person.objects.create(
        organisation=org_a, family_name="森", family_name_kana="モリ", own_words="秘密"
    )
    keys(Fernet.generate_key().decode())
    with pytest.raises(fields.FieldKeyError):
        Person.objects.get(pk=person.pk)
    with pytest.raises(ImproperlyConfigured):
        verify_field_keys()


@pytest.mark.django_db
def test_rotation_re_encrypts_with_the_new_key(keys, settings, org_a):
    old, new = list(settings.FIELD_ENCRYPTION_KEYS), Fernet.generate_key().decode()
    person = Person.objects.create(
        organisation=org_a, family_name="森", family_name_kana="モリ", own_words="秘密"
    )
    keys(new, *old)
    call_command("rotate_field_keys")
    keys(new)
    assert Person.objects.get(pk=person.pk).own_words == "秘密"
    verify_field_keys()


def test_malformed_key_is_a_configuration_error(keys):
    keys("not-a-key")
    with pytest.raises(fields.FieldKeyError, match="malformed"):
        fields.encrypt("x")


@pytest.mark.django_db
def test_rotation_hashes_phone_numbers_again_so_search_still_finds_them(keys, settings, org_a):
    from django_scopes import scope

    from ibasho.lib.phones import phone_hash
    from ibasho.people.models import Phone

    old, new = list(settings.FIELD_ENCRYPTION_KEYS), Fernet.generate_key().decode()
    person = Person.objects.create(organisation=org_a, family_name="森", family_name_kana="モリ")
    Phone.objects.create(organisation=org_a, person=person, number="090-1234-5678")
    before = phone_hash("09012345678")
    keys(new, *old)
    call_command("rotate_field_keys")
    keys(new)
    assert phone_hash("09012345678") != before
    with scope(organisation=org_a):
        assert list(Person.objects.search("090-1234-5678")) == [person]
