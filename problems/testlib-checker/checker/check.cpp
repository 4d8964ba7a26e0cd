// A checker in testlib's convention, without testlib.h: check <input> <output> <answer>.
// Exit 0: ok; 1: wrong answer; 2: presentation error (the right numbers, another layout);
// 3: the checker failed (a bad answer file). The message goes to stderr, as testlib's does.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

enum Exit { OK = 0, WA = 1, PE = 2, FAIL = 3 };

[[noreturn]] void quit(Exit code, const std::string& message) {
    static const char* names[] = {"ok", "wrong answer", "wrong output format", "FAIL"};
    std::fprintf(stderr, "%s %s\n", names[code], message.c_str());
    std::exit(code);
}

std::string slurp(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) quit(FAIL, std::string("cannot open ") + path);
    std::ostringstream data;
    data << in.rdbuf();
    return data.str();
}

std::vector<std::string> tokens(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> found;
    for (std::string token; in >> token;) found.push_back(token);
    return found;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string line;
    for (size_t i = 0; i < parts.size(); ++i) line += (i ? " " : "") + parts[i];
    return line + "\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) quit(FAIL, "usage: check input output answer");
    std::string output = slurp(argv[2]);
    std::vector<std::string> want = tokens(slurp(argv[3]));
    std::vector<std::string> got = tokens(output);
    if (want.empty()) quit(FAIL, "empty answer file");
    for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
        if (want[i] != got[i]) {
            quit(WA, "number " + std::to_string(i + 1) + " differs - expected: '" + want[i] +
                         "', found: '" + got[i].substr(0, 20) + "'");
        }
    }
    if (got.size() != want.size()) {
        quit(WA, "expected " + std::to_string(want.size()) + " numbers, found " +
                     std::to_string(got.size()));
    }
    if (output != joined(want)) quit(PE, "expected one line, numbers separated by one space");
    quit(OK, std::to_string(want.size()) + " numbers");
}
