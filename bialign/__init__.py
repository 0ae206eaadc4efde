"""bialign: clean English-Russian translation pairs from mixed news items.

The public API is what ``__all__`` lists here, plus the modules in :data:`PUBLIC_MODULES`
(each with its own ``__all__``). Every other module (``cli*``, ``pipeline`` internals,
``textio``, ``outputs``, ...) is internal and may change without notice.

>>> import bialign
>>> pairs = bialign.align_text(open("examples/seed.txt").read())  # doctest: +SKIP
"""

from .version import __version__

#: modules whose ``__all__`` is public API, beside the names exported here
PUBLIC_MODULES = (
    "bialign.bench", "bialign.decisions", "bialign.distributed", "bialign.embed", "bialign.evaluation",
    "bialign.formats", "bialign.frames", "bialign.journal", "bialign.parallel", "bialign.records", "bialign.report", "bialign.results",
    "bialign.review", "bialign.run", "bialign.settings", "bialign.signature", "bialign.testset",
)

from .align import AlignParams, Bead  # noqa: E402
from .detect import detect_segments  # noqa: E402
from .embed import Embedder, get_encoder  # noqa: E402
from .errors import (BialignError, DocumentLanguageError, InputError, MissingDependencyError,  # noqa: E402
                     ModelNotFoundError, SettingsError)
from .frames import to_dataframe, to_dataset  # noqa: E402
from .items import ReadOptions, read_items  # noqa: E402
from .pipeline import AlignConfig, Aligner, align_corpus, align_documents, align_text  # noqa: E402
from .records import DocumentPair, Item, ItemResult, Outcome, Pair, Rejected, Segment, Status  # noqa: E402
from .sentences import Sentence, split_block  # noqa: E402

__all__ = [
    "AlignConfig",
    "AlignParams",
    "Aligner",
    "Bead",
    "BialignError",
    "DocumentLanguageError",
    "DocumentPair",
    "Embedder",
    "InputError",
    "Item",
    "ItemResult",
    "MissingDependencyError",
    "ModelNotFoundError",
    "Outcome",
    "Pair",
    "ReadOptions",
    "Rejected",
    "Segment",
    "Sentence",
    "SettingsError",
    "Status",
    "__version__",
    "align_corpus",
    "align_documents",
    "align_text",
    "detect_segments",
    "get_encoder",
    "read_items",
    "split_block",
    "to_dataframe",
    "to_dataset",
]
