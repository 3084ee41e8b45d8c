#include "text/porter_stemmer.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rmg::text {
namespace {

struct StemCase {
  const char* word;
  const char* stem;
};

// Expected stems are the output of NLTK 3.8's PorterStemmer() (mode NLTK_EXTENSIONS)
// for the examples of Porter's paper, the words NLTK's extensions are about, and a
// random sample of English words.
constexpr StemCase kCases[] = {
    {"caresses", "caress"},
    {"ponies", "poni"},
    {"ties", "tie"},
    {"caress", "caress"},
    {"cats", "cat"},
    {"feed", "feed"},
    {"agreed", "agre"},
    {"plastered", "plaster"},
    {"bled", "bled"},
    {"motoring", "motor"},
    {"sing", "sing"},
    {"conflated", "conflat"},
    {"troubled", "troubl"},
    {"sized", "size"},
    {"hopping", "hop"},
    {"tanned", "tan"},
    {"falling", "fall"},
    {"hissing", "hiss"},
    {"fizzed", "fizz"},
    {"failing", "fail"},
    {"filing", "file"},
    {"happy", "happi"},
    {"sky", "sky"},
    {"skies", "sky"},
    {"dying", "die"},
    {"lying", "lie"},
    {"tying", "tie"},
    {"innings", "inning"},
    {"cannings", "canning"},
    {"outings", "outing"},
    {"howe", "howe"},
    {"proceed", "proceed"},
    {"exceed", "exceed"},
    {"succeed", "succeed"},
    {"news", "news"},
    {"relational", "relat"},
    {"conditional", "condit"},
    {"rational", "ration"},
    {"valenci", "valenc"},
    {"hesitanci", "hesit"},
    {"digitizer", "digit"},
    {"conformabli", "conform"},
    {"radicalli", "radic"},
    {"differentli", "differ"},
    {"vileli", "vile"},
    {"analogousli", "analog"},
    {"vietnamization", "vietnam"},
    {"predication", "predic"},
    {"operator", "oper"},
    {"feudalism", "feudal"},
    {"decisiveness", "decis"},
    {"hopefulness", "hope"},
    {"callousness", "callous"},
    {"formaliti", "formal"},
    {"sensitiviti", "sensit"},
    {"sensibiliti", "sensibl"},
    {"triplicate", "triplic"},
    {"formative", "form"},
    {"formalize", "formal"},
    {"electriciti", "electr"},
    {"electrical", "electr"},
    {"hopeful", "hope"},
    {"goodness", "good"},
    {"revival", "reviv"},
    {"allowance", "allow"},
    {"inference", "infer"},
    {"airliner", "airlin"},
    {"gyroscopic", "gyroscop"},
    {"adjustable", "adjust"},
    {"defensible", "defens"},
    {"irritant", "irrit"},
    {"replacement", "replac"},
    {"adjustment", "adjust"},
    {"dependent", "depend"},
    {"adoption", "adopt"},
    {"homologou", "homolog"},
    {"communism", "commun"},
    {"activate", "activ"},
    {"angulariti", "angular"},
    {"homologous", "homolog"},
    {"effective", "effect"},
    {"bowdlerize", "bowdler"},
    {"probate", "probat"},
    {"rate", "rate"},
    {"cease", "ceas"},
    {"controll", "control"},
    {"roll", "roll"},
    {"generalli", "gener"},
    {"geologi", "geolog"},
    {"theologi", "theolog"},
    {"archaeologi", "archaeolog"},
    {"spied", "spi"},
    {"died", "die"},
    {"flies", "fli"},
    {"dies", "die"},
    {"spy", "spi"},
    {"fly", "fli"},
    {"try", "tri"},
    {"enjoy", "enjoy"},
    {"enjoyment", "enjoy"},
    {"by", "by"},
    {"say", "say"},
    {"sayings", "say"},
    {"yyyy", "yyyi"},
    {"toy", "toy"},
    {"toying", "toy"},
    {"playing", "play"},
    {"beautifully", "beauti"},
    {"hopefulli", "hope"},
    {"traditionally", "tradit"},
    {"sensationalism", "sensation"},
    {"agreement", "agreement"},
    {"element", "element"},
    {"cement", "cement"},
    {"increment", "increment"},
    {"rationalli", "ration"},
    {"university", "univers"},
    {"vision", "vision"},
    {"position", "posit"},
    {"animosity", "animos"},
    {"skiing", "ski"},
    {"owing", "owe"},
    {"laframboise", "laframbois"},
    {"docgen", "docgen"},
    {"mv", "mv"},
    {"wrymouth", "wrymouth"},
    {"beginning", "begin"},
    {"camellia", "camellia"},
    {"siegel", "siegel"},
    {"cmu", "cmu"},
    {"maxim", "maxim"},
    {"tem", "tem"},
    {"bnoordhuis", "bnoordhui"},
    {"rrez", "rrez"},
    {"gahr", "gahr"},
    {"authored", "author"},
    {"chow", "chow"},
    {"pare", "pare"},
    {"odbc", "odbc"},
    {"caama", "caama"},
    {"gstplugin", "gstplugin"},
    {"clean", "clean"},
    {"specialized", "special"},
    {"oprala", "oprala"},
    {"boman", "boman"},
    {"stty", "stti"},
    {"daily", "daili"},
    {"getpid", "getpid"},
    {"vigna", "vigna"},
    {"velocity", "veloc"},
    {"templated", "templat"},
    {"boyan", "boyan"},
    {"taffit", "taffit"},
    {"testgvareight", "testgvareight"},
    {"namespace", "namespac"},
    {"beneficial", "benefici"},
    {"getc", "getc"},
    {"bcollins", "bcollin"},
    {"stasiowski", "stasiowski"},
    {"deferral", "deferr"},
    {"iuculano", "iuculano"},
    {"offtostr", "offtostr"},
    {"ding", "ding"},
    {"singleheader", "singlehead"},
    {"cruisecontrol", "cruisecontrol"},
    {"support", "support"},
    {"kaseorg", "kaseorg"},
    {"stievie", "stievi"},
    {"excuse", "excus"},
    {"condividi", "condividi"},
    {"technically", "technic"},
    {"suren", "suren"},
    {"watkins", "watkin"},
    {"fastcalc", "fastcalc"},
    {"mentions", "mention"},
    {"columns", "column"},
    {"solaris", "solari"},
    {"brakelm", "brakelm"},
    {"strspn", "strspn"},
    {"boostconfig", "boostconfig"},
    {"unwarned", "unwarn"},
    {"frans", "fran"},
    {"reveal", "reveal"},
    {"sgrubb", "sgrubb"},
    {"ostiguy", "ostiguy"},
    {"kiszka", "kiszka"},
    {"provides", "provid"},
    {"poolfwd", "poolfwd"},
    {"markup", "markup"},
    {"jnweiger", "jnweiger"},
    {"harakash", "harakash"},
    {"evvers", "evver"},
    {"gunderson", "gunderson"},
    {"chandan", "chandan"},
    {"synched", "synch"},
    {"joel", "joel"},
    {"sendmmsg", "sendmmsg"},
    {"restanti", "restanti"},
    {"liris", "liri"},
    {"planner", "planner"},
    {"istreambuf", "istreambuf"},
    {"twofish", "twofish"},
    {"cantor", "cantor"},
    {"cryptogams", "cryptogam"},
    {"sake", "sake"},
    {"odaf", "odaf"},
    {"efm", "efm"},
    {"linaro", "linaro"},
    {"domains", "domain"},
    {"relatively", "rel"},
    {"onechap", "onechap"},
    {"available", "avail"},
    {"cco", "cco"},
    {"stdin", "stdin"},
    {"swapoff", "swapoff"},
    {"kipling", "kipl"},
    {"libxtables", "libxtabl"},
    {"lrodriguez", "lrodriguez"},
    {"tjbench", "tjbench"},
    {"reversible", "revers"},
    {"tausq", "tausq"},
    {"ppc", "ppc"},
    {"burton", "burton"},
    {"cmdependsjavaparsertokens", "cmdependsjavaparsertoken"},
    {"immunity", "immun"},
    {"quando", "quando"},
    {"zj", "zj"},
    {"broeker", "broeker"},
    {"boss", "boss"},
    {"kebil", "kebil"},
    {"wisdom", "wisdom"},
    {"takuo", "takuo"},
    {"pickle", "pickl"},
    {"ipr", "ipr"},
    {"montezelo", "montezelo"},
    {"logdump", "logdump"},
    {"antoine", "antoin"},
    {"probably", "probabl"},
    {"mahotkin", "mahotkin"},
    {"embedded", "embed"},
    {"ucd", "ucd"},
    {"crl", "crl"},
    {"resample", "resampl"},
    {"bolet", "bolet"},
    {"geir", "geir"},
    {"isolation", "isol"},
    {"deal", "deal"},
    {"handlertree", "handlertre"},
    {"native", "nativ"},
    {"msvcc", "msvcc"},
    {"reverge", "reverg"},
    {"cfg", "cfg"},
    {"electronic", "electron"},
    {"pld", "pld"},
    {"netexpress", "netexpress"},
    {"soundexchange", "soundexchang"},
    {"insl", "insl"},
    {"deprecate", "deprec"},
    {"oyvindln", "oyvindln"},
    {"span", "span"},
    {"instantiate", "instanti"},
    {"numscale", "numscal"},
    {"manipulate", "manipul"},
    {"mixture", "mixtur"},
    {"gnumonks", "gnumonk"},
    {"dock", "dock"},
    {"charonitakis", "charonitaki"},
    {"escapes", "escap"},
    {"documenting", "document"},
    {"good", "good"},
    {"yield", "yield"},
    {"governs", "govern"},
    {"akheron", "akheron"},
    {"redistributors", "redistributor"},
    {"thijsvermeir", "thijsvermeir"},
    {"expect", "expect"},
    {"hull", "hull"},
    {"intlit", "intlit"},
    {"acos", "aco"},
    {"disagreement", "disagr"},
    {"official", "offici"},
    {"should", "should"},
    {"Skies", "ski"},
    {"SKIES", "ski"},
    {"Running", "run"},
};

TEST(PorterStemmer, MatchesNltk) {
  int failures = 0;
  for (const StemCase& c : kCases) {
    const std::string got = PorterStem(c.word);
    EXPECT_EQ(got, c.stem) << "word '" << c.word << "'";
    failures += got != c.stem;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(std::size(kCases), 250u);
}

TEST(PorterStemmer, NltkExtensions) {
  EXPECT_EQ(PorterStem("ties"), "tie");  // four-letter -ies keeps "ie"
  EXPECT_EQ(PorterStem("flies"), "fli");
  EXPECT_EQ(PorterStem("died"), "die");  // four-letter -ied keeps "ie"
  EXPECT_EQ(PorterStem("spied"), "spi");
  EXPECT_EQ(PorterStem("enjoy"), "enjoy");  // y -> i only after a consonant
  EXPECT_EQ(PorterStem("happy"), "happi");
  EXPECT_EQ(PorterStem("by"), "by");  // one or two letters: unchanged
  EXPECT_EQ(PorterStem("is"), "is");
  EXPECT_EQ(PorterStem("skies"), "sky");  // irregular forms
  EXPECT_EQ(PorterStem("dying"), "die");
  EXPECT_EQ(PorterStem("geologi"), "geolog");
  EXPECT_EQ(PorterStem("generalli"), "gener");
}

TEST(PorterStemmer, CaseAndUnicodeLikeNltk) {
  // NLTK lower-cases first but looks irregular forms up before lower-casing.
  EXPECT_EQ(PorterStem("Running"), "run");
  EXPECT_EQ(PorterStem("SKIES"), "ski");
  EXPECT_EQ(PorterStem("naïvely"), "naïv");
  EXPECT_EQ(PorterStem("Généralement"), "généralement");
  EXPECT_EQ(PorterStem("İstanbul"), "i̇stanbul");
  EXPECT_EQ(PorterStem(""), "");
  EXPECT_EQ(PorterStem("\xff\xfe\xfd\xfc"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(PorterStemmer, LinearInARunOfYs) {
  // In a run of y's, consonant and vowel alternate from the first (a consonant).
  // Removing -ing leaves y^n: for even n it ends in a vowel y and step 1c makes the
  // last y an i; for odd n the last two form a double consonant and one goes first.
  // Measuring such a word letter by letter from each letter's start took minutes for
  // a million y's (ctest's per-test timeout); now it is linear.
  for (size_t n : {size_t{10}, size_t{11}, size_t{1000000}, size_t{1000001}}) {
    const std::string stem = PorterStem(std::string(n, 'y') + "ing");
    const size_t ys = n % 2 == 0 ? n - 1 : n - 2;
    EXPECT_EQ(stem, std::string(ys, 'y') + "i") << n << " y's";
  }
}

TEST(PorterStemmer, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (const StemCase& c : kCases) failures[t] += PorterStem(c.word) != c.stem;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0);
}

}  // namespace
}  // namespace rmg::text
