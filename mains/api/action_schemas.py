"""The request body of each order action: the fields of its form on the order page, and the
`version` read (required: an action on an order that changed since is refused with 409).

One schema per form of `mains.desk.action_forms.ACTIONS`; the OpenAPI schema shows each
action with its own required fields. The form still checks them on the server and gives
its own messages for the rules between fields (the `anyOf` of callback and cancel).
"""

from typing import Literal

from ninja import Schema
from pydantic import Field, JsonValue

from mains.api.schemas import NOT_BLANK, Code, Id, Moment, Required, Text, Version
from mains.desk import forms
from mains.desk.models import Satisfaction


class NoteIn(Schema):
    version: Version
    note: Text = Field("", max_length=2000, description="Optional note.")


class ReasonIn(Schema):
    version: Version
    note: Required = Field(max_length=2000, description="The reason.")


class ResolveIn(Schema):
    version: Version
    note: Required = Field(max_length=4000, description="What was done.")


class AssignIn(Schema):
    version: Version
    specialist: Id = Field(description="The specialist's id.")
    unit: Id | None = Field(None, description="The responsible unit's id (optional).")
    note: Text = Field("", max_length=2000)


class DeadlineIn(Schema):
    version: Version
    until: Moment = Field(description="The deadline, ISO-8601 with a zone; in the future.")
    note: Required = Field(max_length=2000, description="The reason.")


class DecisionIn(Schema):
    version: Version
    approve: bool = Field(description="true approves the extension, false denies it.")
    note: Text = Field("", max_length=2000)


_OTHER_RESULTS: list[JsonValue] = [v for v in Satisfaction.values if v != Satisfaction.UNSATISFIED]


class CallbackIn(Schema):
    model_config = {
        "json_schema_extra": {
            "anyOf": [
                {"properties": {"result": {"enum": _OTHER_RESULTS}}},
                {"required": ["note"], "properties": {"note": {"pattern": NOT_BLANK}}},
            ]
        }
    }

    version: Version
    result: Literal[tuple(Satisfaction.values)] = Field(  # type: ignore[valid-type]
        description="The resident's judgement; “unsatisfied” needs a note and re-does the order."
    )
    note: Text = Field("", max_length=2000)


class CancelIn(Schema):
    model_config = {
        "json_schema_extra": {
            "anyOf": [
                {"required": ["note"], "properties": {"note": {"pattern": NOT_BLANK}}},
                {
                    "required": ["duplicate_of"],
                    "properties": {"duplicate_of": {"pattern": NOT_BLANK}},
                },
            ]
        }
    }

    version: Version
    note: Text = Field("", max_length=2000, description="The reason; or give duplicate_of.")
    duplicate_of: Code = Field("", max_length=20, description="The original order's number.")


SCHEMA_OF_FORM: dict[type, type[Schema]] = {
    forms.NoteForm: NoteIn,
    forms.ReasonForm: ReasonIn,
    forms.ResolveForm: ResolveIn,
    forms.AssignForm: AssignIn,
    forms.DeadlineForm: DeadlineIn,
    forms.DecisionForm: DecisionIn,
    forms.CallbackForm: CallbackIn,
    forms.CancelForm: CancelIn,
}


def form_data(data: Schema) -> dict:
    """The body as the action's form reads it (everything as text, as a browser posts it)."""
    values = data.model_dump(exclude={"version"})
    if "approve" in values:
        values["approve"] = "yes" if values["approve"] else "no"
    return {name: "" if value is None else value for name, value in values.items()}
