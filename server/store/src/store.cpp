#include "neuvo/store/store.hpp"

#include "batch_writer.hpp"
#include "session_token.hpp"
#include "statement.hpp"
#include "task_thread.hpp"

#include <sodium.h>

#include <atomic>
#include <deque>
#include <future>
#include <stdexcept>
#include <unordered_map>

namespace neuvo::store {
namespace {

// One sign-in on its way through writer -> hashing thread -> writer. Shared by the stages'
// callbacks, so it lives until the last of them has run.
struct SignInAttempt {
    std::string login;
    std::string password;
    std::function<void(std::optional<SessionGrant>)> done;
    std::optional<std::string> stored_hash; // nothing: unknown login or disabled account
    std::optional<SessionGrant> grant;

    ~SignInAttempt() { forget_password(); }

    // Best effort: copies made on the way here are out of our reach.
    void forget_password() { sodium_memzero(password.data(), password.size()); }

    void answer(std::optional<SessionGrant> result) {
        if (done) {
            done(std::move(result));
        }
    }
};

struct SessionLookup {
    std::string token;
    std::function<void(std::optional<AdvisorAccount>)> done;
    std::optional<AdvisorAccount> account;
};

// One change to the shared answers: the work fills in `change`, the finish tells the caller.
struct AnswerJob {
    SharedAnswerChange change;
    std::function<void(SharedAnswerChange)> done;
};

WriterJob answer_job(std::function<void(Database&, SharedAnswerChange&)> work,
                     std::function<void(SharedAnswerChange)> done) {
    auto job = std::make_shared<AnswerJob>();
    job->done = std::move(done);
    return {
        [job, work = std::move(work)](Database& database) { work(database, job->change); },
        [job](bool committed) {
            if (!committed) {
                job->change = SharedAnswerChange{};
            }
            if (job->done) {
                job->done(std::move(job->change));
            }
        },
    };
}

// Checked here rather than left to Database's exception, so that a person's typing mistake is an
// answer to them, not a failed job in the operator's log.
bool refuse_invalid(const SharedAnswerText& text, SharedAnswerChange& change) {
    auto problem = shared_answer_problem(text);
    if (!problem) {
        return false;
    }
    change.outcome = SharedAnswerChange::Outcome::invalid;
    change.reason = std::move(*problem);
    return true;
}

// A statistic read on the writer thread. A request the database refuses (a StoreError that is
// not a failed SQLite call) is the asker's mistake: it is answered with the reason instead of
// failing the job, which would put it in the operator's log as a fault.
template <typename Result>
WriterJob statistics_job(std::function<Result(Database&)> read,
                         std::function<void(std::optional<Result>, std::string)> done) {
    struct Outcome {
        std::optional<Result> result;
        std::string refusal;
    };
    auto outcome = std::make_shared<Outcome>();
    return {
        [outcome, read = std::move(read)](Database& database) {
            try {
                outcome->result = read(database);
            } catch (const SqliteError&) {
                throw;
            } catch (const StoreError& refused) {
                outcome->refusal = refused.what();
            }
        },
        [outcome, done = std::move(done)](bool completed) {
            if (!done) {
                return;
            }
            if (!completed) {
                outcome->result.reset();
            }
            done(std::move(outcome->result), std::move(outcome->refusal));
        },
    };
}

} // namespace

// Conversation id -> register row id for the last `capacity` rows written.
class RecentVisits {
public:
    void remember(const std::string& conversation, std::int64_t id) {
        if (ids_.emplace(conversation, id).second) {
            order_.push_back(conversation);
        }
        while (order_.size() > capacity) {
            ids_.erase(order_.front());
            order_.pop_front();
        }
    }
    std::optional<std::int64_t> find(const std::string& conversation) const {
        auto it = ids_.find(conversation);
        return it == ids_.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
    }

private:
    static constexpr std::size_t capacity = 20000;
    std::unordered_map<std::string, std::int64_t> ids_;
    std::deque<std::string> order_;
};

struct Store::Impl {
    Impl(const std::string& database_path, std::chrono::seconds lifetime, std::chrono::seconds idle)
        : writer(std::make_unique<Database>(database_path)), session_lifetime(lifetime),
          session_idle(idle) {}

    // Declared after the writer so that it is destroyed first: its last tasks still submit
    // sessions to the writer.
    BatchWriter writer;
    TaskThread hasher;
    const std::chrono::seconds session_lifetime;
    const std::chrono::seconds session_idle;
    // Recently written rows by conversation id, for ratings that come after the row: in memory
    // only and on the writer thread only, so the id never reaches the disk. Oldest forgotten
    // first; a rating that finds nothing here is dropped.
    RecentVisits recent_visits;
    std::atomic<std::uint64_t> register_rows_written{0};
    // Used only on the hashing thread; made on first need so that opening the store stays fast.
    std::optional<std::string> dummy_hash;

    // An unknown login is verified against this, so that a refusal takes as long as for a known
    // login with a wrong password and the timing does not reveal which logins exist.
    const std::string& hash_to_verify_against(const SignInAttempt& attempt) {
        if (attempt.stored_hash) {
            return *attempt.stored_hash;
        }
        if (!dummy_hash) {
            dummy_hash = hash_password(new_session_token());
        }
        return *dummy_hash;
    }

    void verify(const std::shared_ptr<SignInAttempt>& attempt) {
        const bool matches = verify_password(hash_to_verify_against(*attempt), attempt->password);
        attempt->forget_password();
        if (!matches || !attempt->stored_hash) {
            attempt->answer(std::nullopt);
            return;
        }
        writer.submit({
            [attempt, lifetime = session_lifetime](Database& database) {
                const auto account = database.find_advisor(attempt->login);
                // Disabled while the password was being checked: too late to get in.
                if (!account || account->disabled) {
                    return;
                }
                attempt->grant =
                    SessionGrant{database.create_session(
                                     account->id, std::chrono::system_clock::now(), lifetime),
                                 *account};
            },
            [attempt](bool committed) {
                attempt->answer(committed ? std::move(attempt->grant) : std::nullopt);
            },
        });
    }

    void wait_for_writer() {
        std::promise<void> reached;
        writer.submit({nullptr, [&reached](bool) { reached.set_value(); }});
        reached.get_future().wait();
    }

    void wait_for_hasher() {
        std::promise<void> reached;
        hasher.post([&reached] { reached.set_value(); });
        reached.get_future().wait();
    }
};

Store::Store(const std::string& database_path, std::chrono::seconds session_lifetime,
             std::chrono::seconds session_idle)
    : impl_(std::make_unique<Impl>(database_path, session_lifetime, session_idle)) {}

Store::~Store() {
    flush();
    // Destroying impl_ then stops the hashing thread and the writer, each after its queue.
}

void Store::record_visit(core::VisitRecord record, std::function<void(bool)> done) {
    Impl* impl = impl_.get();
    impl->writer.submit({
        [impl, record = std::move(record)](Database& database) {
            const std::int64_t id = database.insert_visit(record);
            if (!record.conversation.empty()) {
                impl->recent_visits.remember(record.conversation, id);
            }
        },
        [impl, done = std::move(done)](bool committed) {
            if (committed) {
                impl->register_rows_written.fetch_add(1, std::memory_order_relaxed);
            }
            if (done) {
                done(committed);
            }
        },
    });
}

Store::Activity Store::activity() const {
    Activity activity;
    activity.register_rows_written = impl_->register_rows_written.load(std::memory_order_relaxed);
    activity.batches = impl_->writer.batches();
    activity.failed_jobs = impl_->writer.failed_jobs();
    activity.pending_jobs = impl_->writer.pending();
    return activity;
}

void Store::record_rating(std::string conversation, int rating, std::function<void(bool)> done) {
    Impl* impl = impl_.get();
    impl->writer.submit({
        [impl, conversation = std::move(conversation), rating](Database& database) {
            if (auto id = impl->recent_visits.find(conversation)) {
                database.set_visit_rating(*id, rating);
            }
        },
        std::move(done),
    });
}

void Store::sign_in(std::string login, std::string password,
                    std::function<void(std::optional<SessionGrant>)> done) {
    auto attempt = std::make_shared<SignInAttempt>();
    attempt->login = std::move(login);
    attempt->password = std::move(password);
    attempt->done = std::move(done);
    Impl* impl = impl_.get();
    impl->writer.submit({
        [attempt](Database& database) {
            attempt->stored_hash = database.password_hash(attempt->login);
        },
        [impl, attempt](bool read) {
            if (!read) {
                attempt->answer(std::nullopt);
                return;
            }
            impl->hasher.post([impl, attempt] { impl->verify(attempt); });
        },
    });
}

void Store::find_session(std::string token,
                         std::function<void(std::optional<AdvisorAccount>)> done) {
    auto lookup = std::make_shared<SessionLookup>();
    lookup->token = std::move(token);
    lookup->done = std::move(done);
    impl_->writer.submit({
        [lookup, idle = impl_->session_idle](Database& database) {
            lookup->account =
                database.find_session(lookup->token, std::chrono::system_clock::now(), idle);
        },
        [lookup](bool read) {
            if (lookup->done) {
                lookup->done(read ? std::move(lookup->account) : std::nullopt);
            }
        },
    });
}

void Store::touch_session(std::string token) {
    impl_->writer.submit({
        [token = std::move(token)](Database& database) {
            database.touch_session(token, std::chrono::system_clock::now());
        },
        nullptr,
    });
}

void Store::sign_out(std::string token) {
    impl_->writer.submit({
        [token = std::move(token)](Database& database) { database.delete_session(token); },
        nullptr,
    });
}

void Store::list_shared_answers(
    std::string language, std::function<void(std::optional<std::vector<SharedAnswer>>)> done) {
    auto answers = std::make_shared<std::vector<SharedAnswer>>();
    impl_->writer.submit({
        [answers, language = std::move(language)](Database& database) {
            *answers = database.list_shared_answers(language);
        },
        [answers, done = std::move(done)](bool read) {
            if (done) {
                done(read ? std::optional(std::move(*answers)) : std::nullopt);
            }
        },
    });
}

void Store::add_shared_answer(SharedAnswerText text, std::string author,
                              std::function<void(SharedAnswerChange)> done) {
    impl_->writer.submit(answer_job(
        [text = std::move(text), author = std::move(author)](Database& database,
                                                             SharedAnswerChange& change) {
            if (refuse_invalid(text, change)) {
                return;
            }
            change.answer =
                database.add_shared_answer(text, author, std::chrono::system_clock::now());
            change.outcome = SharedAnswerChange::Outcome::done;
        },
        std::move(done)));
}

void Store::update_shared_answer(std::int64_t id, SharedAnswerText text, std::string author,
                                 std::function<void(SharedAnswerChange)> done) {
    impl_->writer.submit(answer_job(
        [id, text = std::move(text), author = std::move(author)](Database& database,
                                                                 SharedAnswerChange& change) {
            if (refuse_invalid(text, change)) {
                return;
            }
            change.answer =
                database.update_shared_answer(id, text, author, std::chrono::system_clock::now());
            change.outcome = change.answer ? SharedAnswerChange::Outcome::done
                                           : SharedAnswerChange::Outcome::not_found;
        },
        std::move(done)));
}

void Store::delete_shared_answer(std::int64_t id, std::function<void(SharedAnswerChange)> done) {
    impl_->writer.submit(answer_job(
        [id](Database& database, SharedAnswerChange& change) {
            change.outcome = database.delete_shared_answer(id)
                                 ? SharedAnswerChange::Outcome::done
                                 : SharedAnswerChange::Outcome::not_found;
        },
        std::move(done)));
}

void Store::count_visits(
    CountRequest request,
    std::function<void(std::optional<stats::CountTable>, std::string error)> done) {
    impl_->writer.submit(statistics_job<stats::CountTable>(
        [request = std::move(request)](Database& database) {
            return database.count_visits(request);
        },
        std::move(done)));
}

void Store::visit_times(
    TimesRequest request,
    std::function<void(std::optional<std::vector<GroupTimes>>, std::string error)> done) {
    impl_->writer.submit(statistics_job<std::vector<GroupTimes>>(
        [request = std::move(request)](Database& database) {
            return database.visit_times(request);
        },
        std::move(done)));
}

void Store::delete_visits_started_before(core::TimePoint cutoff,
                                         std::function<void(std::optional<std::int64_t>)> done) {
    auto deleted = std::make_shared<std::int64_t>(0);
    impl_->writer.submit({
        [deleted, cutoff](Database& database) {
            *deleted = database.delete_visits_started_before(cutoff);
        },
        [deleted, done = std::move(done)](bool committed) {
            if (done) {
                done(committed ? std::optional(*deleted) : std::nullopt);
            }
        },
    });
}

void Store::keep_open_work(std::vector<core::Effect> changes, std::function<void(bool)> done) {
    impl_->writer.submit({
        [changes = std::move(changes)](Database& database) {
            for (const core::Effect& change : changes) {
                if (const auto* keep = std::get_if<core::KeepClient>(&change)) {
                    database.keep_open_client(keep->client);
                } else if (const auto* forget = std::get_if<core::ForgetClient>(&change)) {
                    database.forget_open_client(forget->resume_token);
                } else if (const auto* event = std::get_if<core::KeepEvent>(&change)) {
                    database.keep_open_event(event->event);
                } else if (const auto* ended = std::get_if<core::ForgetConversation>(&change)) {
                    database.forget_open_conversation(ended->conversation);
                } else if (const auto* presence = std::get_if<core::KeepAdvisor>(&change)) {
                    database.keep_open_advisor(presence->advisor);
                } else if (const auto* left = std::get_if<core::ForgetAdvisor>(&change)) {
                    database.forget_open_advisor(left->advisor);
                } else if (const auto* visit = std::get_if<core::KeepVisit>(&change)) {
                    database.keep_open_visit(visit->visit);
                }
            }
        },
        std::move(done),
    });
}

Store::OpenWorkAtStart Store::open_work() {
    auto result = std::make_shared<OpenWorkAtStart>();
    auto failure = std::make_shared<std::exception_ptr>();
    std::promise<void> read;
    impl_->writer.submit({
        [result, failure](Database& database) {
            try {
                result->work = database.open_work();
                for (AdvisorAccount& account : database.list_advisors()) {
                    if (!account.disabled) {
                        result->accounts.push_back(std::move(account));
                    }
                }
            } catch (...) {
                *failure = std::current_exception();
            }
        },
        [&read](bool) { read.set_value(); },
    });
    read.get_future().wait();
    if (*failure) {
        std::rethrow_exception(*failure);
    }
    return std::move(*result);
}

void Store::flush() {
    if (impl_->writer.on_writer_thread() || impl_->hasher.on_this_thread()) {
        throw std::logic_error("Store::flush called from a store callback would wait forever");
    }
    // A sign-in submitted before this call moves writer -> hasher -> writer; waiting for each
    // stage in that order covers it as well as every plain write.
    impl_->wait_for_writer();
    impl_->wait_for_hasher();
    impl_->wait_for_writer();
}

} // namespace neuvo::store
