"""Every field of every mains model has a verbose name translated into Chinese, so that the
admin (and any form built from a model) never shows English labels such as "Current due"."""

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise


def untranslated_fields() -> list[str]:
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("mains."):
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            name = field.verbose_name
            label = f"{model._meta.label}.{field.name}"
            if not isinstance(name, Promise):
                missing.append(f"{label}: {name!r} is not marked for translation")
                continue
            with translation.override("zh-hans"):
                chinese = str(name)
            with translation.override("en"):
                english = str(name)
            if chinese == english:
                missing.append(f"{label}: {english!r} has no Chinese translation")
    return missing


def test_every_model_field_has_a_translated_verbose_name():
    missing = untranslated_fields()
    assert not missing, "\n".join(missing)


def test_the_check_catches_an_english_label():
    from mains.desk.models import WorkOrder

    field = WorkOrder._meta.get_field("current_due")
    saved = field.verbose_name
    try:
        field.verbose_name = "current due"
        assert any("desk.WorkOrder.current_due" in line for line in untranslated_fields())
    finally:
        field.verbose_name = saved
