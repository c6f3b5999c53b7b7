"""Request and response shapes of the HTTP API; they are also what /openapi.json documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_COUNT = 20
MAX_WORDS = 2000
MAX_BATCH = 64  # the schema's ceiling; the server's own limit (`--max-batch`) may be lower
MAX_ID = 200

_SOURCES = ("text", "html", "url")


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # "3" is not 3 and 0 is not false: as the schema says

    count: int | None = Field(
        None, ge=1, le=MAX_COUNT,
        description="Number of highlights; absent or null: the model decides (2-4 for the default model, 3 for lead and fast).",
    )
    max_words: int | None = Field(
        None, ge=1, le=MAX_WORDS, description="Word budget over all highlights together (optional)."
    )
    model: str | None = Field(None, max_length=100, description="Highlights model; see GET /v1/models.")
    facts: bool = Field(False, description="Also extract the article's facts.")
    compress: bool = Field(
        False, description="Cut attributions, asides and the like from highlights as editors do; each then lists its spans."
    )


def _exactly_one_source(schema: dict, cls) -> None:
    # The schema says what the validator below enforces: one source, given as a string (null is absent).
    schema["oneOf"] = [
        {"required": [name], "properties": {name: {"type": "string"}}}
        for name in _SOURCES
        if name in schema.get("properties", {})
    ]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_exactly_one_source)

    text: str | None = Field(None, description="The article as plain text (HTML is detected and read as a page).")
    html: str | None = Field(None, description="The article as an HTML page; boilerplate is removed.")

    @model_validator(mode="after")
    def _one_source(self):
        given = [name for name in _SOURCES if getattr(self, name, None) is not None]
        if len(given) != 1:
            names = " or ".join(f'"{n}"' for n in _SOURCES if n in type(self).model_fields)
            raise ValueError(f"give exactly one of {names}" + (f" (got {', '.join(given)})" if given else ""))
        return self


class BriefRequest(Options, Source):
    url: str | None = Field(
        None, max_length=2000, description="An http(s) page for the server to fetch; only when started with --allow-fetch."
    )


class BatchArticle(Source):
    id: str | None = Field(None, max_length=MAX_ID, description="Your id for the article, echoed in its result.")


class BatchRequest(Options):
    articles: list[BatchArticle] = Field(..., min_length=1, max_length=MAX_BATCH)


class Highlight(BaseModel):
    text: str
    start: int = Field(description="Offset of the highlight in `text`, in Unicode code points.")
    end: int
    sentence: int = Field(description="Index of the source sentence among the article's sentences.")
    score: float
    spans: list[list[int]] | None = Field(
        None, description="With `compress`, when words were cut: the [start, end] pieces of `text` the highlight is made of."
    )


class Brief(BaseModel):
    schema_: str = Field(alias="schema", examples=["newsbrief.brief/1"])
    id: str | None
    title: str | None
    model: str
    highlights: list[Highlight]
    facts: dict[str, Any] | None = Field(None, description="Present when the request asked for facts.")
    text: str | None = Field(
        None, description="The article text that offsets index into (for HTML input: the extracted text)."
    )


class ItemError(BaseModel):
    type: str
    message: str


class BatchItemError(BaseModel):
    id: str | None
    error: ItemError


class BatchResponse(BaseModel):
    schema_: str = Field(alias="schema", examples=["newsbrief.batch/1"])
    results: list[Brief | BatchItemError]


class ErrorBody(BaseModel):
    status: int
    type: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Models(BaseModel):
    default: str
    models: list[str]
    facts: bool = Field(description="Whether this installation can extract facts.")
    archive: bool = Field(False, description="Whether this server answers /v1/archive/ (started with --archive).")
    limits: dict[str, int | float]


class Health(BaseModel):
    status: str
    model: str
    workers: int
    pending: int
    queue: int
