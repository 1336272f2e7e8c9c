// Integration tests of the pool, the error mapping, migrations and the
// notifier against the real PostgreSQL started by tests/run.sh.
#include "services/common/postgres_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "services/common/migrations.h"
#include "services/common/postgres_notifier.h"
#include "services/common/testing/test_database.h"

namespace cxdesk::common {
namespace {

class PgPoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url = CreateTestDatabase("common");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = new std::string(*url);
  }
  void SetUp() override {
    ASSERT_NE(url_, nullptr);
    auto pool = PgPool::Create({*url_, 4});
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    ASSERT_TRUE(pool_
                    ->Transact([](pqxx::work& txn) {
                      txn.exec(
                          "DROP TABLE IF EXISTS t; CREATE TABLE t "
                          "(k int CONSTRAINT t_pk PRIMARY KEY, v int)");
                      return absl::OkStatus();
                    })
                    .ok());
  }
  static std::string* url_;
  std::unique_ptr<PgPool> pool_;
};
std::string* PgPoolTest::url_ = nullptr;

TEST_F(PgPoolTest, UniqueViolationIsAlreadyExists) {
  auto insert = [](pqxx::work& txn) {
    txn.exec("INSERT INTO t (k, v) VALUES (1, 1)");
    return absl::OkStatus();
  };
  ASSERT_TRUE(pool_->Transact(insert).ok());
  EXPECT_EQ(pool_->Transact(insert).code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(PgPoolTest, FailedFunctionRollsBack) {
  absl::Status status = pool_->Transact([](pqxx::work& txn) {
    txn.exec("INSERT INTO t (k, v) VALUES (2, 2)");
    return absl::InvalidArgumentError("no");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  int64_t count = -1;
  ASSERT_TRUE(pool_
                  ->Transact([&](pqxx::work& txn) {
                    count =
                        txn.exec("SELECT count(*) FROM t")[0][0].as<int64_t>();
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(count, 0);
}

TEST_F(PgPoolTest, StatementTimeoutIsDeadlineExceeded) {
  PgPool::Options options{*url_, 1};
  options.statement_timeout = absl::Milliseconds(50);
  auto pool = PgPool::Create(options);
  ASSERT_TRUE(pool.ok());
  absl::Status status = (*pool)->Transact([](pqxx::work& txn) {
    txn.exec("SELECT pg_sleep(1)");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(PgPoolTest, SyntaxErrorIsInternalWithGenericMessage) {
  absl::Status status = pool_->Transact([](pqxx::work& txn) {
    txn.exec("SELEC 1");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "internal database error");
}

TEST_F(PgPoolTest, SerializationFailureIsRetried) {
  std::atomic<int> attempts{0};
  absl::Status status = pool_->Transact([&](pqxx::work& txn) -> absl::Status {
    if (++attempts < 3) {
      txn.exec("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40001'; END $$");
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts.load(), 3);
}

TEST_F(PgPoolTest, PersistentSerializationFailureIsAborted) {
  absl::Status status = pool_->Transact([&](pqxx::work& txn) -> absl::Status {
    txn.exec("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END $$");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
}

TEST_F(PgPoolTest, ReadRunsInAutocommitAndMapsErrors) {
  // Autocommit: each statement stands alone, so an error returned by `fn`
  // does not undo what ran before it.
  absl::Status status = pool_->Autocommit([](pqxx::transaction_base& txn) {
    txn.exec("INSERT INTO t (k, v) VALUES (7, 7)");
    return absl::CancelledError("stop");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  int64_t count = -1;
  ASSERT_TRUE(pool_
                  ->Autocommit([&](pqxx::transaction_base& txn) {
                    count =
                        txn.exec("SELECT count(*) FROM t")[0][0].as<int64_t>();
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(count, 1);
  EXPECT_EQ(pool_
                ->Autocommit([](pqxx::transaction_base& txn) {
                  txn.exec("SELECT * FROM no_such_table");
                  return absl::OkStatus();
                })
                .code(),
            absl::StatusCode::kInternal);
}

TEST_F(PgPoolTest, UnreachableDatabaseIsUnavailable) {
  auto pool = PgPool::Create({"postgresql://nobody@127.0.0.1:1/none", 1});
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PgPoolTest, MigrationsApplyOnceEvenFromParallelStarts) {
  const std::vector<Migration> migrations = {
      {1, "V0001__a.sql", "CREATE SCHEMA m; CREATE TABLE m.x (a int);"},
      {2, "V0002__b.sql", "ALTER TABLE m.x ADD COLUMN b int;"}};
  std::vector<std::thread> starts;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    starts.emplace_back([&] {
      auto pool = PgPool::Create({*url_, 1});
      if (pool.ok() && ApplyMigrations(**pool, "m", migrations).ok()) ++ok;
    });
  }
  for (auto& t : starts) t.join();
  EXPECT_EQ(ok.load(), 4);
  int64_t applied = 0;
  ASSERT_TRUE(
      pool_
          ->Transact([&](pqxx::work& txn) {
            applied =
                txn.exec(
                       "SELECT count(*) FROM public.cxdesk_schema_migrations "
                       "WHERE service = 'm'")[0][0]
                    .as<int64_t>();
            txn.exec("INSERT INTO m.x (a, b) VALUES (1, 2)");
            return absl::OkStatus();
          })
          .ok());
  EXPECT_EQ(applied, 2);

  // A changed migration text is refused.
  std::vector<Migration> changed = migrations;
  changed[1].sql = "ALTER TABLE m.x ADD COLUMN c int;";
  EXPECT_EQ(ApplyMigrations(*pool_, "m", changed).code(),
            absl::StatusCode::kFailedPrecondition);
  // A binary that knows fewer migrations than the database is refused.
  EXPECT_EQ(ApplyMigrations(*pool_, "m", {migrations[0]}).code(),
            absl::StatusCode::kFailedPrecondition);
  // After a failure the lock is released: a correct start still works.
  EXPECT_TRUE(ApplyMigrations(*pool_, "m", migrations).ok());
}

TEST_F(PgPoolTest, NotifierWakesOnNotify) {
  PgNotifier notifier(*url_, "cxdesk_test_channel");
  notifier.Start();
  // Wait for the listener to connect (it bumps once when listening).
  uint64_t gen = notifier.WaitForChange(0, absl::Seconds(10));
  ASSERT_GE(gen, 1u);
  ASSERT_TRUE(pool_
                  ->Transact([](pqxx::work& txn) {
                    txn.exec("SELECT pg_notify('cxdesk_test_channel', '')");
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_GT(notifier.WaitForChange(gen, absl::Seconds(10)), gen);
  notifier.Stop();
  EXPECT_TRUE(notifier.stopped());
}

}  // namespace
}  // namespace cxdesk::common
