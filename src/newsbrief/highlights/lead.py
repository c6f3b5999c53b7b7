"""Lead-k: the first sentences of the article. The baseline every model is measured against."""

from newsbrief.highlights.base import Summarizer, register


@register("lead")
class Lead(Summarizer):
    # Lead sentences rarely repeat each other; blocking would make "lead" differ from Lead-3.
    block_trigrams = False

    def score(self, doc):
        n = len(doc.sentences)
        return [1.0 - i / n for i in range(n)]
