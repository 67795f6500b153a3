
import django.core.validators
import ibasho.accounts.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_membership_code_unique_and_invitation'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=ibasho.accounts.models._token_expiry, verbose_name='expires'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='last_used_ip',
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        # Tokens made before scopes existed could write: they keep that; new ones read by default.
        migrations.AddField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read'), ('write', 'Read and write')], default='write', max_length=5, verbose_name='scope'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read'), ('write', 'Read and write')], default='read', max_length=5, verbose_name='scope'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='idle_timeout_minutes',
            field=models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(240)], verbose_name='sign out after this many idle minutes'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='second_factor_for_all',
            field=models.BooleanField(default=False, verbose_name='second factor required for every member'),
        ),
        migrations.AddField(
            model_name='user',
            name='logins_without_second_factor',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, verbose_name='must change password'),
        ),
        migrations.AddField(
            model_name='user',
            name='session_generation',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
