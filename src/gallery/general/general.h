// General-purpose rule rewards (RM-Gallery's gallery/rm/general.py, plus BLEU and chrF).
#pragma once

#include "rmg/registry.h"

namespace rmg::gallery {

RewardSpec AccuracySpec();        // accuracy: exact match after stripping
RewardSpec F1ScoreSpec();         // f1_score: token-set F1
RewardSpec RougeSpec();           // rouge: ROUGE-1/2/L/Lsum F-measure
RewardSpec NumberAccuracySpec();  // number_accuracy: positional number match
RewardSpec BleuSpec();            // bleu: sacreBLEU sentence BLEU in [0, 1]
RewardSpec CorpusBleuSpec();      // corpus_bleu: sacreBLEU corpus BLEU over a sample's outputs
RewardSpec ChrfSpec();            // chrf: sacreBLEU sentence chrF / chrF++ in [0, 1]
RewardSpec CorpusChrfSpec();      // corpus_chrf: sacreBLEU corpus chrF over a sample's outputs

}  // namespace rmg::gallery
