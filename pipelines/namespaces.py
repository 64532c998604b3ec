"""Every IRI and prefix of the graph, in one place.

The data IRIs hang off a configurable base (``Namespaces(base_iri)``) and are derived only from
stable identifiers (the document id, the run id, QIDs, normalised names), so the same input gives
the same IRIs on every run and machine. The vocabulary namespace is fixed; our own terms are
declared once here (``NG``) and defined, with labels and domains, in ``ontology/newsgraph.ttl``
(a test keeps the two in step).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, XSD, DefinedNamespace

from pipelines.shipped import ontology_dir

DEFAULT_BASE_IRI = "https://w3id.org/newsgraph/id/"
VOCAB_IRI = "https://w3id.org/newsgraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/newsgraph/ontology"

ONTOLOGY_DIR = ontology_dir()

# Standard vocabularies (schema.org as Wikidata and most stores write it: http, not https).
SCHEMA = Namespace("http://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
# Describing the service: SPARQL 1.1 Service Description, and the W3C's IRIs of formats
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

WIKIDATA_ENTITY_PATTERN = r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"
_QID = re.compile(r"^Q[1-9][0-9]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class NG(DefinedNamespace):
    """newsgraph's own vocabulary terms (defined in ontology/newsgraph.ttl)."""

    _NS = Namespace(VOCAB_IRI)
    _fail = True

    # classes
    NightlyRun: URIRef  # one night's pipeline run (a prov:Activity)
    RawPage: URIRef  # a fetched page as stored, identified by its content hash (a prov:Entity)
    Removal: URIRef  # a piece of boilerplate the cleanup removed
    NilEntity: URIRef  # an entity with no Wikidata item (yet), with a project IRI
    Miscellaneous: URIRef  # NER type MISC: named things that are no person, place or organisation
    NerModel: URIRef  # the NER model a run used
    KnowledgeBase: URIRef  # the knowledge base (version) a run linked against
    NightTally: URIRef  # per-run aggregates the named queries read (pipelines/store/tallies.py)
    OutletDayTally: URIRef
    RemovalTally: URIRef
    EntityTally: URIRef
    NilEntityTally: URIRef
    RoleTally: URIRef
    RoleStatement: URIRef  # a role the press gives a person in one article (a prov:Entity)
    Story: URIRef  # articles of one or a few nights that report the same event
    # properties
    textContext: URIRef  # article -> its nif:Context (the clean text)
    removal: URIRef  # article -> a ng:Removal
    removalCategory: URIRef
    removalReason: URIRef
    removedCharCount: URIRef
    sourceLine: URIRef
    linkingConfidence: URIRef  # mention -> xsd:double in [0, 1]
    contentHash: URIRef  # raw page -> sha256 hex
    sourceName: URIRef  # raw page -> name of the configured source it came from
    capturedOn: URIRef  # raw page -> capture date of a replayed sample
    partition: URIRef  # run -> the night (xsd:date) it processed
    nerModel: URIRef  # run -> ng:NerModel (sub-property of prov:used)
    knowledgeBase: URIRef  # run -> ng:KnowledgeBase (sub-property of prov:used)
    run: URIRef  # tally -> the run whose articles it counts
    outletName: URIRef
    day: URIRef
    articleCount: URIRef
    mentionCount: URIRef
    pieceCount: URIRef
    removedCharTotal: URIRef
    entity: URIRef
    entityType: URIRef
    exampleAnchor: URIRef
    quoteKind: URIRef  # quotation -> "direct", "partial" or "indirect"
    attribution: URIRef  # quotation -> "explicit", "continuation" or "headline"
    reportedOn: URIRef  # quotation -> the day (xsd:date) its article was published, else the night
    cue: URIRef  # quotation -> the reporting expression ("sagte", "laut", ":")
    speakerReference: URIRef  # quotation -> how the attribution names the speaker ("er", "der Generalsekretär")
    speakerDescription: URIRef  # quotation -> the noun phrase of a speaker without a name ("Diplomaten")
    roleHolder: URIRef  # role statement -> the person entity
    roleKind: URIRef  # role statement -> "position", "party" or "other"
    roleOrganisation: URIRef  # role statement -> the organisation, party or country entity of the role
    wikidataPosition: URIRef  # role statement -> the Wikidata position item the role text names
    storyArticle: URIRef  # story -> one of its articles


PREFIXES: dict[str, str] = {
    "ng": VOCAB_IRI,
    "schema": str(SCHEMA),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "wd": str(WD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}

# NER label -> the class a mention's itsrdf:taClassRef (and a NIL entity's rdf:type) points at.
ENTITY_CLASSES: dict[str, URIRef] = {
    "PER": SCHEMA.Person,
    "LOC": SCHEMA.Place,
    "ORG": SCHEMA.Organization,
    "MISC": NG.Miscellaneous,
}


class InvalidIdentifierError(ValueError):
    """An identifier that cannot become part of a stable IRI."""


def _check_identifier(kind: str, value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise InvalidIdentifierError(f"{kind} {value!r} cannot be used in an IRI: use letters, digits and . _ ~ - only")
    return value


def slug(text: str, max_length: int = 60) -> str:
    """ASCII slug of a name (deterministic, no library whose rules could change between versions)."""
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:max_length].rstrip("-")


def normalise_name(name: str) -> str:
    """The form of a name that decides NIL identity: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Namespaces:
    """IRIs of the data, derived from a base IRI and stable identifiers only."""

    base_iri: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", self.base_iri):
            raise InvalidIdentifierError(
                f"base IRI {self.base_iri!r} must be an absolute http(s) IRI ending in '/' or '#'"
            )

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base_iri + path)

    # articles and their parts
    def article_iri(self, doc_id: str) -> URIRef:
        return self._iri(f"article/{_check_identifier('doc_id', doc_id)}")

    def article_graph_iri(self, doc_id: str) -> URIRef:
        return self._iri(f"graph/article/{_check_identifier('doc_id', doc_id)}")

    def context_iri(self, doc_id: str, length: int) -> URIRef:
        """The NIF context: the clean text, addressed RFC 5147-style as its full character range."""
        return URIRef(f"{self.article_iri(doc_id)}/text#char=0,{length}")

    def phrase_iri(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.article_iri(doc_id)}/text#char={start},{end}")

    def removal_iri(self, doc_id: str, index: int) -> URIRef:
        return URIRef(f"{self.article_iri(doc_id)}/removal/{index}")

    def raw_page_iri(self, content_hash: str) -> URIRef:
        if not _SHA256_HEX.match(content_hash):
            raise InvalidIdentifierError(f"content hash {content_hash!r} is not a lower-case sha256 hex")
        return self._iri(f"raw/{content_hash}")

    def publisher_iri(self, name: str) -> URIRef:
        return self._iri(f"publisher/{slug(name) or _short_hash(normalise_name(name))}")

    def quote_iri(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.article_iri(doc_id)}/quote/{start}-{end}")

    def role_iri(self, doc_id: str, person_start: int, role_start: int) -> URIRef:
        return URIRef(f"{self.article_iri(doc_id)}/role/{person_start}-{role_start}")

    def story_iri(self, story_id: str) -> URIRef:
        return self._iri(f"story/{_check_identifier('story_id', story_id)}")

    def story_graph_iri(self, run_id: str) -> URIRef:
        """The named graph of a night's stories (replaced when the night is rerun)."""
        return self._iri(f"graph/story/{_check_identifier('run_id', run_id)}")

    # entities
    @staticmethod
    def wikidata_iri(qid: str) -> URIRef:
        if not _QID.match(qid):
            raise InvalidIdentifierError(f"{qid!r} is not a Wikidata item id (Q followed by digits)")
        return WD[qid]

    def nil_entity_iri(self, name: str, label: str) -> URIRef:
        """A stable project IRI for an entity without a Wikidata item: slug + hash of name and type."""
        if label not in ENTITY_CLASSES:
            raise InvalidIdentifierError(f"entity type {label!r} is not one of {sorted(ENTITY_CLASSES)}")
        key = normalise_name(name)
        if not key:
            raise InvalidIdentifierError("a NIL entity needs a non-empty name")
        digest = _short_hash(f"{label}|{key}")
        readable = slug(name)
        local = f"{readable}-{digest}" if readable else digest
        return self._iri(f"nil/{label.lower()}/{local}")

    @property
    def described_graph_prefix(self) -> str:
        return f"{self.base_iri}graph/described/"

    def described_graph_iri(self, node: str) -> URIRef | None:
        """The store's one graph describing a node that many articles share (a Wikidata item, a NIL
        entity, a publisher), or None for any other node (see ``store.layout``)."""
        if node.startswith(str(WD)) and _QID.match(node[len(str(WD)) :]):
            return URIRef(f"{self.described_graph_prefix}wikidata/{node[len(str(WD)) :]}")
        for kind in ("nil/", "publisher/"):
            if node.startswith(self.base_iri + kind) and len(node) > len(self.base_iri + kind):
                return URIRef(self.described_graph_prefix + node[len(self.base_iri) :])
        return None

    # provenance
    def run_iri(self, run_id: str) -> URIRef:
        return self._iri(f"run/{_check_identifier('run_id', run_id)}")

    def run_graph_iri(self, run_id: str) -> URIRef:
        return self._iri(f"graph/run/{_check_identifier('run_id', run_id)}")

    def run_id_of(self, run_iri: str) -> str:
        """The run id in a run IRI of this base (the inverse of :meth:`run_iri`)."""
        prefix = self.base_iri + "run/"
        if not str(run_iri).startswith(prefix):
            raise InvalidIdentifierError(f"{run_iri} is not a run IRI under {prefix}")
        return _check_identifier("run_id", str(run_iri)[len(prefix) :])

    def tally_graph_iri(self, run_id: str) -> URIRef:
        """The named graph holding a run's night tallies (replaced whenever its articles change)."""
        return self._iri(f"graph/tally/{_check_identifier('run_id', run_id)}")

    def tally_iri(self, run_id: str, kind: str, *key: str) -> URIRef:
        return URIRef(f"{self.run_iri(run_id)}/tally/{kind}/{_short_hash(chr(31).join(key), 16)}")

    def run_stat_iri(self, run_id: str, key: str) -> URIRef:
        return URIRef(f"{self.run_iri(run_id)}/stat/{slug(key) or _short_hash(key)}")

    def software_iri(self, code_version: str) -> URIRef:
        return self._iri(f"software/newsgraph/{quote(code_version, safe='')}")

    def ner_model_iri(self, name: str, version: str) -> URIRef:
        return self._iri(f"model/{quote(name, safe='')}/{quote(version, safe='')}")

    def knowledge_base_iri(self, version: str) -> URIRef:
        return self._iri(f"kb/{quote(version, safe='')}")

    # prefixes
    def prefixes(self) -> dict[str, str]:
        """All prefixes, including ``ngid:`` for this base IRI."""
        return {**PREFIXES, "ngid": self.base_iri}

    def bind(self, graph: Graph) -> None:
        for prefix, iri in self.prefixes().items():
            graph.bind(prefix, iri, override=True, replace=True)
