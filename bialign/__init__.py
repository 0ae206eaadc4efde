"""bialign: clean English-Russian translation pairs from mixed news items.

The public API is what ``__all__`` lists here, plus the modules in :data:`PUBLIC_MODULES`
(each with its own ``__all__``). Every other module (``cli``, ``text``, the aligner's
internals, ``run.outputs``, ...) is internal and may change without notice.

>>> import bialign
>>> pairs = bialign.align_text(open("examples/seed.txt").read())  # doctest: +SKIP
"""

from .version import __version__

#: modules whose ``__all__`` is public API, beside the names exported here
PUBLIC_MODULES = (
    "bialign.align", "bialign.align.settings", "bialign.align.signature", "bialign.bench", "bialign.bench.evaluation",
    "bialign.bench.testset", "bialign.embed", "bialign.formats", "bialign.formats.frames", "bialign.records",
    "bialign.review", "bialign.review.decisions", "bialign.run", "bialign.run.distributed", "bialign.run.journal",
    "bialign.run.parallel", "bialign.run.report", "bialign.run.results",
)

from .align.aligner import AlignConfig, Aligner, align_corpus, align_documents, align_text  # noqa: E402
from .align.beads import AlignParams, Bead  # noqa: E402
from .embed import Embedder, get_encoder  # noqa: E402
from .errors import (BialignError, DocumentLanguageError, InputError, MissingDependencyError,  # noqa: E402
                     ModelNotFoundError, SettingsError)
from .formats.frames import to_dataframe, to_dataset  # noqa: E402
from .records import DocumentPair, Item, ItemResult, Outcome, Pair, Rejected, Segment, Status  # noqa: E402
from .text.detect import detect_segments  # noqa: E402
from .text.items import ReadOptions, read_items  # noqa: E402
from .text.sentences import Sentence, split_block  # noqa: E402

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
