#include "admin_commands.hpp"

#include "neuvo/store/database.hpp"

#include <chrono>
#include <iostream>
#include <sstream>

namespace neuvo::app {
namespace {

std::vector<std::string> split_languages(const std::string& list) {
    std::vector<std::string> languages;
    std::stringstream in(list);
    std::string tag;
    while (std::getline(in, tag, ','))
        if (!tag.empty())
            languages.push_back(tag);
    return languages;
}

// The configuration is the authority on points and languages: refuse an advisor it cannot route.
void check_against_network(const store::NewAdvisor& advisor, const core::ServiceNetwork& network) {
    if (!network.find_point(advisor.point_id))
        throw UsageError("--point: \"" + advisor.point_id +
                         "\" is not a point id of the configuration");
    if (advisor.languages.empty())
        throw UsageError("--languages: give at least one language tag, e.g. fi,ar");
    for (const auto& tag : advisor.languages)
        if (!network.find_language(tag))
            throw UsageError("--languages: \"" + tag + "\" is not a language of the configuration");
}

std::string read_password(std::istream& in) {
    std::string password;
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    return password;
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ",") + item;
    return text;
}

} // namespace

int run_admin_command(const CommandLine& line, const config::ServerConfig& config, std::istream& in,
                      std::ostream& out) {
    if (line.words.size() < 2)
        throw UsageError("admin needs a command: add, list, disable or enable");
    const auto& command = line.words[1];
    store::Database database(config.database.string());

    if (command == "add") {
        store::NewAdvisor advisor;
        advisor.login = line.required("login");
        advisor.display_name = line.required("name");
        advisor.point_id = line.required("point");
        advisor.languages = split_languages(line.required("languages"));
        advisor.role = line.value_or("role", "advisor");
        advisor.organisation = line.value_or("organisation", "");
        advisor.national = line.has("national");
        check_against_network(advisor, config.network);
        if (!line.has("password-stdin"))
            throw UsageError("give the password on standard input with --password-stdin");
        advisor.password = read_password(in);
        auto id = database.add_advisor(advisor);
        out << "added advisor " << advisor.login << " (id " << id << ")\n";
        return 0;
    }
    if (command == "list") {
        out << "login\tname\tpoint\tlanguages\trole\tstate\torganisation\n";
        for (const auto& advisor : database.list_advisors())
            out << advisor.login << '\t' << advisor.display_name << '\t' << advisor.point_id << '\t'
                << join(advisor.languages) << '\t' << advisor.role
                << (advisor.national ? " (national)" : "") << '\t'
                << (advisor.disabled ? "disabled" : "enabled") << '\t' << advisor.organisation
                << '\n';
        return 0;
    }
    if (command == "disable" || command == "enable") {
        auto login = line.required("login");
        if (!database.set_advisor_disabled(login, command == "disable")) {
            std::cerr << "neuvo: no advisor with login \"" << login << "\"\n";
            return 1;
        }
        out << command << "d advisor " << login << "\n";
        return 0;
    }
    throw UsageError("unknown admin command \"" + command + "\"");
}

int create_demo_advisors(const config::ServerConfig& config, std::ostream& out) {
    // Demo accounts across points and tiers, so that routing can be tried by hand on localhost.
    struct Demo {
        const char* login;
        const char* name;
        const char* point;
        std::vector<std::string> languages;
    };
    const Demo demos[] = {
        {"aino", "Aino", "091-virka", {"fi", "sv", "en", "ar"}},
        {"mikko", "Mikko", "049-inespoo", {"fi", "sv", "en", "ru"}},
        {"leila", "Leila", "837-mainio", {"fi", "en", "fa", "prs", "ar"}},
        {"hodan", "Hodan", "205-monika", {"fi", "en", "so", "ar"}},
        {"wei", "Wei", "564-oulu10", {"fi", "en", "zh", "th"}},
    };
    // A supervisor, to try the live view and the shared answers' editor.
    const Demo supervisor = {"sanna", "Sanna", "091-virka", {"fi", "sv", "en"}};
    const std::string password = "neuvo-demo-2026";
    store::Database database(config.database.string());
    out << "Demo advisors (password for all: " << password << ")\n";
    auto add = [&](const Demo& demo, const char* role) {
        store::NewAdvisor advisor;
        advisor.login = demo.login;
        advisor.display_name = demo.name;
        advisor.point_id = demo.point;
        advisor.languages = demo.languages;
        advisor.role = role;
        advisor.password = password;
        if (advisor.role == "clerk")
            advisor.organisation = "Kela, Itäkeskus";
        check_against_network(advisor, config.network);
        bool exists = database.find_advisor(demo.login).has_value();
        if (!exists)
            database.add_advisor(advisor);
        out << "  " << demo.login << "\t" << demo.point << "\t" << join(demo.languages)
            << (std::string(role) == "advisor" ? "" : "\t" + std::string(role))
            << (exists ? "\t(already there)" : "") << "\n";
    };
    for (const auto& demo : demos)
        add(demo, "advisor");
    add(supervisor, "supervisor");
    // A public-service clerk who asks for language support for a customer at their desk.
    add(Demo{"kaisa", "Kaisa", "091-virka", {"fi", "sv"}}, "clerk");
    return 0;
}

int create_demo_answers(const config::ServerConfig& config, std::ostream& out) {
    // A few shared answers of the kind supervisors keep, so that the desk shows some at once.
    const store::SharedAnswerText demos[] = {
        {"en", "Residence permit: where to apply",
         "Apply for a residence permit online in Enter Finland, the e-service of the Finnish "
         "Immigration Service (Migri). After applying, book an appointment at a Migri service "
         "point to prove your identity.",
         "https://enterfinland.fi"},
        {"en", "Reporting a new address",
         "When you move, report your new address to the Digital and Population Data Services "
         "Agency (DVV) and to Posti within a week of moving. You can do both online.",
         "https://dvv.fi"},
        {"fi", "Oleskelulupa: mistä haetaan",
         "Oleskelulupaa haetaan verkossa Maahanmuuttoviraston (Migri) Enter Finland "
         "-palvelussa. Hakemuksen jälkeen varaa aika Migrin palvelupisteeseen henkilöllisyyden "
         "todentamista varten.",
         "https://enterfinland.fi"},
        {"fi", "Muuttoilmoitus",
         "Kun muutat, ilmoita uusi osoitteesi Digi- ja väestötietovirastolle (DVV) ja Postille "
         "viikon kuluessa muutosta. Molemmat onnistuvat verkossa.",
         "https://dvv.fi"},
        {"ar", "تصريح الإقامة: أين تقدّم الطلب",
         "قدّم طلب تصريح الإقامة عبر الإنترنت في خدمة Enter Finland التابعة لدائرة الهجرة "
         "الفنلندية (Migri). بعد تقديم الطلب، احجز موعدًا في مكتب خدمة Migri لإثبات هويتك.",
         "https://enterfinland.fi"},
        {"ar", "معلومات عن الحياة في فنلندا بالعربية",
         "يقدّم موقع InfoFinland معلومات باللغة العربية عن السكن والعمل والدراسة والصحة في "
         "فنلندا.",
         "https://www.infofinland.fi/ar"},
    };
    store::Database database(config.database.string());
    if (!database.list_shared_answers().empty()) {
        out << "Shared answers are there already; none added.\n";
        return 0;
    }
    for (const auto& demo : demos) {
        if (!config.network.find_language(demo.language))
            continue; // a configuration without this language
        database.add_shared_answer(demo, "sanna", std::chrono::system_clock::now());
        out << "  " << demo.language << "\t" << demo.title << "\n";
    }
    return 0;
}

} // namespace neuvo::app
