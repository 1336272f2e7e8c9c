#include "services/escalation/routing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace cxdesk::escalation {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---------------------------------------------------------------- MatchRule

TicketToRoute SampleTicket() {
  TicketToRoute t;
  t.id = 7;
  t.kind = "complaint";
  t.cx_level = "emotion";
  t.priority = "high";
  t.channel = "email";
  t.tags = {"billing", "vip"};
  t.subject = "Refund please";
  t.description = "I was double charged last month.";
  t.customer_email = "ann@example.com";
  return t;
}

RoutingRule Rule(std::string id, int position, std::string team) {
  RoutingRule r;
  r.id = std::move(id);
  r.position = position;
  r.team = std::move(team);
  return r;
}

// The id of the matched rule, or "" for none.
std::string MatchedId(const std::vector<RoutingRule>& rules,
                      const TicketToRoute& ticket) {
  const RoutingRule* rule = MatchRule(rules, ticket);
  return rule == nullptr ? "" : rule->id;
}

TEST(MatchRuleTest, NoRulesOrNoMatchGivesNullptr) {
  EXPECT_EQ(MatchRule({}, SampleTicket()), nullptr);
  RoutingRule r = Rule("phone", 1, "voice");
  r.channels = {"phone"};
  EXPECT_EQ(MatchRule({r}, SampleTicket()), nullptr);
}

TEST(MatchRuleTest, RuleWithoutConditionsMatchesAnything) {
  EXPECT_EQ(MatchedId({Rule("all", 0, "care")}, SampleTicket()), "all");
}

TEST(MatchRuleTest, LowestPositionWinsWhateverTheVectorOrder) {
  RoutingRule late = Rule("late", 20, "care");
  RoutingRule early = Rule("early", 10, "billing");
  early.kinds = {"complaint"};
  RoutingRule earliest_but_no_match = Rule("phone", 5, "voice");
  earliest_but_no_match.channels = {"phone"};
  const std::vector<RoutingRule> rules = {late, early, earliest_but_no_match};
  const RoutingRule* matched = MatchRule(rules, SampleTicket());
  ASSERT_NE(matched, nullptr);
  EXPECT_EQ(matched->id, "early");
  EXPECT_EQ(matched, &rules[1]);  // Points into the caller's vector.
}

TEST(MatchRuleTest, EqualPositionsAreOrderedById) {
  EXPECT_EQ(MatchedId({Rule("b", 1, "x"), Rule("a", 1, "y")}, SampleTicket()),
            "a");
}

TEST(MatchRuleTest, EachConditionFiltersOnItsOwn) {
  const TicketToRoute ticket = SampleTicket();
  struct Case {
    const char* name;
    void (*set)(RoutingRule&, bool match);
  };
  const Case cases[] = {
      {"kinds",
       [](RoutingRule& r, bool m) {
         r.kinds = {"question", m ? "complaint" : "incident"};
       }},
      {"cx_levels",
       [](RoutingRule& r, bool m) { r.cx_levels = {m ? "emotion" : "brand"}; }},
      {"priorities",
       [](RoutingRule& r, bool m) {
         r.priorities = {m ? "high" : "low", "urgent"};
       }},
      {"channels",
       [](RoutingRule& r, bool m) { r.channels = {m ? "email" : "chat"}; }},
      {"tags_any",
       [](RoutingRule& r, bool m) {
         r.tags_any = {"x", m ? "VIP" : "gold"};
       }},
      {"words_any",
       [](RoutingRule& r, bool m) {
         r.words_any = {m ? "double charged" : "invoice"};
       }},
      {"customer_emails",
       [](RoutingRule& r, bool m) {
         r.customer_emails = {m ? "Ann@Example.com" : "bob@example.com"};
       }},
  };
  for (const Case& c : cases) {
    RoutingRule r = Rule("r", 0, "care");
    c.set(r, true);
    EXPECT_EQ(MatchedId({r}, ticket), "r") << c.name << " should match";
    c.set(r, false);
    EXPECT_EQ(MatchedId({r}, ticket), "") << c.name << " should not match";
  }
}

TEST(MatchRuleTest, AllConditionsMustHold) {
  RoutingRule r = Rule("r", 0, "care");
  r.kinds = {"complaint"};
  r.channels = {"email"};
  r.priorities = {"urgent"};  // The ticket is high.
  EXPECT_EQ(MatchedId({r}, SampleTicket()), "");
  r.priorities = {"high"};
  EXPECT_EQ(MatchedId({r}, SampleTicket()), "r");
}

TEST(MatchRuleTest, ACxLevelConditionNeverMatchesATicketWithoutOne) {
  TicketToRoute ticket = SampleTicket();
  ticket.kind = "question";
  ticket.cx_level = "";
  RoutingRule r = Rule("r", 0, "care");
  r.cx_levels = {"product", "interaction", "service", "emotion", "brand"};
  EXPECT_EQ(MatchedId({r}, ticket), "");
}

TEST(MatchRuleTest, WordsAreWholeWordsIgnoringCase) {
  RoutingRule r = Rule("refunds", 0, "billing");
  r.words_any = {"Refund"};
  auto matches = [&](std::string subject, std::string description) {
    TicketToRoute t = SampleTicket();
    t.subject = std::move(subject);
    t.description = std::move(description);
    return MatchRule({r}, t) != nullptr;
  };
  EXPECT_TRUE(matches("refund", ""));
  EXPECT_TRUE(matches("REFUND NOW", ""));
  EXPECT_TRUE(matches("", "Where is my refund?"));
  EXPECT_TRUE(matches("the refund's status", ""));
  EXPECT_TRUE(matches("(refund)", ""));
  EXPECT_TRUE(matches("refunded twice, still no refund", ""));
  EXPECT_FALSE(matches("refunded", ""));
  EXPECT_FALSE(matches("", "nonrefundable"));
  EXPECT_FALSE(matches("refund_policy", ""));
  EXPECT_FALSE(matches("refundé", ""));  // Non-ASCII letters are letters.
  EXPECT_FALSE(matches("", ""));
}

TEST(MatchRuleTest, PhrasesMatchAsAWhole) {
  RoutingRule r = Rule("r", 0, "billing");
  r.words_any = {"double charged"};
  TicketToRoute t = SampleTicket();
  t.description = "I was Double Charged!";
  EXPECT_EQ(MatchedId({r}, t), "r");
  t.description = "double chargedback";
  EXPECT_EQ(MatchedId({r}, t), "");
  t.description = "double, charged";
  EXPECT_EQ(MatchedId({r}, t), "");
}

// ------------------------------------------------------------- ValidateRule

RoutingRule ValidRule() {
  RoutingRule r = Rule("billing-vip", 10, "billing");
  r.kinds = {"complaint", "incident"};
  r.cx_levels = {"emotion"};
  r.priorities = {"high", "urgent"};
  r.channels = {"email", "api"};
  r.tags_any = {"vip", "tier:gold"};
  r.words_any = {"refund", "double charged"};
  r.customer_emails = {"ceo@example.com"};
  r.strategy = Strategy::kSkillsFirst;
  return r;
}

std::string ErrorOf(void (*mutate)(RoutingRule&)) {
  RoutingRule r = ValidRule();
  mutate(r);
  const absl::Status s = ValidateRule(r);
  if (s.ok()) return "OK";
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  return std::string(s.message());
}

TEST(ValidateRuleTest, AcceptsAFullRuleAndACatchAll) {
  EXPECT_TRUE(ValidateRule(ValidRule()).ok());
  EXPECT_TRUE(ValidateRule(Rule("default", 0, "care")).ok());
}

TEST(ValidateRuleTest, MessagesNameTheFieldAndWhy) {
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.id = ""; }),
            "id: must not be empty");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.id = "a b"; }),
            "id: must be 1..64 of [A-Za-z0-9_.@-], got \"a b\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.position = -1; }),
            "position: must not be negative, got -1");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) {
              r.kinds = {"incident", "bug"};
            }),
            "conditions.kinds[1]: unknown kind \"bug\" (one of question, "
            "incident, request, complaint)");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.kinds = {"Incident"}; }),
            "conditions.kinds[0]: unknown kind \"Incident\" (one of question, "
            "incident, request, complaint)");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.cx_levels = {"mood"}; }),
            "conditions.cx_levels[0]: unknown CX level \"mood\" (one of "
            "product, interaction, service, emotion, brand)");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.priorities = {"critical"}; }),
            "conditions.priorities[0]: unknown priority \"critical\" (one of "
            "low, normal, high, urgent)");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.channels = {"fax"}; }),
            "conditions.channels[0]: unknown channel \"fax\" (one of email, "
            "web, phone, chat, social, api)");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) {
              r.channels = {"web", "web"};
            }),
            "conditions.channels[1]: duplicate \"web\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) {
              r.tags_any = {"vip", ""};
            }),
            "conditions.tags_any[1]: must not be empty");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.tags_any = {"two words"}; }),
            "conditions.tags_any[0]: must be 1..50 of [A-Za-z0-9_:.-], got "
            "\"two words\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) {
              r.tags_any = {"VIP", "vip"};
            }),
            "conditions.tags_any[1]: duplicate \"vip\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.words_any = {""}; }),
            "conditions.words_any[0]: must not be empty");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.words_any = {" refund"}; }),
            "conditions.words_any[0]: must not start or end with a space, got "
            "\" refund\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.words_any = {"!!"}; }),
            "conditions.words_any[0]: must contain a letter or digit, got "
            "\"!!\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.words_any = {"a\nb"}; }),
            "conditions.words_any[0]: must not contain control characters");
  EXPECT_EQ(
      ErrorOf([](RoutingRule& r) { r.words_any = {std::string(101, 'x')}; }),
      "conditions.words_any[0]: must be at most 100 bytes");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.customer_emails = {"ceo"}; }),
            "conditions.customer_emails[0]: not an e-mail address: \"ceo\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.customer_emails = {"a@b@c"}; }),
            "conditions.customer_emails[0]: not an e-mail address: \"a@b@c\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.team = ""; }),
            "team: must not be empty");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.team = "care team"; }),
            "team: must be 1..64 of [A-Za-z0-9_.@-], got \"care team\"");
  EXPECT_EQ(ErrorOf([](RoutingRule& r) { r.strategy = Strategy(42); }),
            "strategy: unknown value 42");
}

// -------------------------------------------------------------- ChooseAgent

Agent MakeAgent(std::string id, int capacity,
                Availability availability = Availability::kOnline,
                std::vector<std::string> skills = {}) {
  Agent a;
  a.id = std::move(id);
  a.name = a.id;
  a.teams = {"care"};
  a.skills = std::move(skills);
  a.capacity = capacity;
  a.availability = availability;
  return a;
}

const Team kCare = {"care", "ann", "mia", ""};

bool AlwaysOnShift(const Agent&) { return true; }

absl::StatusOr<Assignment> Choose(const std::vector<Agent>& agents,
                                  const std::map<std::string, int>& open,
                                  Strategy strategy,
                                  const TicketToRoute& ticket = {},
                                  const RoundRobinState& state = {}) {
  return ChooseAgent(kCare, agents, open, strategy, ticket, state,
                     AlwaysOnShift);
}

TEST(RoundRobinTest, ThousandTicketsOverFourAgentsAreSharedExactly) {
  // Shuffled, with one away agent and one agent of another team.
  std::vector<Agent> agents = {
      MakeAgent("dan", 100000), MakeAgent("ann", 100000),
      MakeAgent("eve", 100000, Availability::kAway), MakeAgent("cid", 100000),
      MakeAgent("bob", 100000)};
  Agent other = MakeAgent("zed", 100000);
  other.teams = {"billing"};
  agents.push_back(other);

  std::map<std::string, int> open;
  RoundRobinState state;
  std::vector<std::string> first_five;
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<Assignment> a =
        Choose(agents, open, Strategy::kRoundRobin, {}, state);
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(a->agent.has_value());
    EXPECT_EQ(a->next_state.last_agent, *a->agent);
    ++open[*a->agent];
    state = a->next_state;  // What the caller persists.
    if (first_five.size() < 5) first_five.push_back(*a->agent);
  }
  EXPECT_THAT(first_five, ElementsAre("ann", "bob", "cid", "dan", "ann"));
  EXPECT_EQ(open, (std::map<std::string, int>{
                      {"ann", 250}, {"bob", 250}, {"cid", 250}, {"dan", 250}}));
}

TEST(RoundRobinTest, ContinuesFromThePersistedStateAndWraps) {
  const std::vector<Agent> agents = {MakeAgent("ann", 5), MakeAgent("bob", 5),
                                     MakeAgent("cid", 5)};
  absl::StatusOr<Assignment> a =
      Choose(agents, {}, Strategy::kRoundRobin, {}, {"ann"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");
  EXPECT_EQ(a->explanation,
            "round_robin: chose bob, the next after ann, among 3 eligible of 3 "
            "agents of team care: ann 0/5 (0%), bob 0/5 (0%), cid 0/5 (0%)");
  EXPECT_THAT(a->candidates, ElementsAre("ann", "bob", "cid"));

  a = Choose(agents, {}, Strategy::kRoundRobin, {}, {"cid"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "ann");
  EXPECT_THAT(a->explanation, HasSubstr("wrapping around after cid"));

  // The last agent has left the team: continue with the next id after it.
  a = Choose(agents, {}, Strategy::kRoundRobin, {}, {"bea"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");
}

TEST(RoundRobinTest, SkipsAwayOfflineAndFullAgents) {
  const std::vector<Agent> agents = {
      MakeAgent("ann", 5), MakeAgent("bob", 5, Availability::kAway),
      MakeAgent("cid", 5, Availability::kOffline), MakeAgent("dan", 2),
      MakeAgent("eve", 5)};
  absl::StatusOr<Assignment> a =
      Choose(agents, {{"dan", 2}}, Strategy::kRoundRobin, {}, {"ann"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "eve");
  EXPECT_THAT(a->candidates, ElementsAre("ann", "eve"));
  EXPECT_EQ(a->explanation,
            "round_robin: chose eve, the next after ann, among 2 eligible of 5 "
            "agents of team care: ann 0/5 (0%), bob 0/5 away, cid 0/5 "
            "offline, dan 2/2 full, eve 0/5 (0%)");
}

TEST(LeastLoadedTest, LowestRatioWinsNotFewestTickets) {
  // ann 3/10 = 30% beats bob 1/2 = 50% although she has more tickets.
  const std::vector<Agent> agents = {MakeAgent("ann", 10), MakeAgent("bob", 2),
                                     MakeAgent("cid", 4)};
  absl::StatusOr<Assignment> a = Choose(
      agents, {{"ann", 3}, {"bob", 1}, {"cid", 4}}, Strategy::kLeastLoaded);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "ann");
  EXPECT_THAT(a->candidates, ElementsAre("ann", "bob"));  // cid is full.
  EXPECT_EQ(a->explanation,
            "least_loaded: chose ann (3/10, 30%) among 2 eligible of 3 agents "
            "of team care: ann 3/10 (30%), bob 1/2 (50%), cid 4/4 full");
  EXPECT_EQ(a->next_state.last_agent, "");  // Only round-robin moves it.
}

TEST(LeastLoadedTest, EqualRatiosGoToFewerOpenTicketsThenLowerId) {
  // 2/4 and 1/2 are both 50%: bob has fewer tickets.
  std::vector<Agent> agents = {MakeAgent("ann", 4), MakeAgent("bob", 2)};
  absl::StatusOr<Assignment> a =
      Choose(agents, {{"ann", 2}, {"bob", 1}}, Strategy::kLeastLoaded);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");
  // Same ratio, same count: the lower id, whatever the input order.
  agents = {MakeAgent("cid", 3), MakeAgent("bea", 3)};
  a = Choose(agents, {{"cid", 1}, {"bea", 1}}, Strategy::kLeastLoaded);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bea");
}

TEST(LeastLoadedTest, RatiosAreComparedExactly) {
  // 4/6 and 2/3 are the same ratio: a tie, decided by fewer open tickets.
  const std::vector<Agent> agents = {MakeAgent("ann", 6), MakeAgent("bob", 3)};
  absl::StatusOr<Assignment> a =
      Choose(agents, {{"ann", 4}, {"bob", 2}}, Strategy::kLeastLoaded);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");  // Tie on 2/3: fewer tickets.
}

TEST(LeastLoadedTest, ZeroCapacityAgentsNeverTakeTickets) {
  const std::vector<Agent> agents = {MakeAgent("ann", 0), MakeAgent("bob", 1)};
  absl::StatusOr<Assignment> a = Choose(agents, {}, Strategy::kLeastLoaded);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");
  EXPECT_THAT(a->explanation, HasSubstr("ann 0/0 full"));
}

TEST(SkillsFirstTest, AgentsCoveringEveryTagArePreferred) {
  const std::vector<Agent> agents = {
      MakeAgent("ann", 10, Availability::kOnline, {"billing"}),
      MakeAgent("bob", 10, Availability::kOnline, {"Billing", "VIP", "de"}),
      MakeAgent("cid", 10, Availability::kOnline, {"billing", "vip"}),
      MakeAgent("dan", 10, Availability::kAway, {"billing", "vip"})};
  TicketToRoute ticket = SampleTicket();  // Tags billing, vip.
  absl::StatusOr<Assignment> a =
      Choose(agents, {{"ann", 0}, {"bob", 5}, {"cid", 4}},
             Strategy::kSkillsFirst, ticket);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "cid");  // Not ann, though she is idle.
  EXPECT_THAT(a->candidates, ElementsAre("bob", "cid"));
  EXPECT_EQ(a->explanation,
            "skills_first: chose cid (4/10, 40%), least loaded among the 2 "
            "with every skill of billing, vip of 3 eligible of 4 agents of "
            "team care: ann 0/10 (0%) lacks skills, bob 5/10 (50%), cid 4/10 "
            "(40%), dan 0/10 away");
}

TEST(SkillsFirstTest, FallsBackToLeastLoadedWhenNoEligibleAgentCovers) {
  const std::vector<Agent> agents = {
      MakeAgent("ann", 10, Availability::kOnline, {"billing"}),
      MakeAgent("bob", 10, Availability::kOnline, {}),
      // Covers, but is away: does not count.
      MakeAgent("cid", 10, Availability::kAway, {"billing", "vip"})};
  absl::StatusOr<Assignment> a = Choose(agents, {{"ann", 3}, {"bob", 1}},
                                        Strategy::kSkillsFirst, SampleTicket());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");
  EXPECT_THAT(a->candidates, ElementsAre("ann", "bob"));
  EXPECT_EQ(a->explanation,
            "skills_first: chose bob (1/10, 10%), least loaded among 2 "
            "eligible of 3 agents of team care, as none has every skill of "
            "billing, vip: ann 3/10 (30%), bob 1/10 (10%), cid 0/10 away");
}

TEST(SkillsFirstTest, ATicketWithoutTagsGoesToTheLeastLoaded) {
  const std::vector<Agent> agents = {
      MakeAgent("ann", 10, Availability::kOnline, {"billing"}),
      MakeAgent("bob", 10)};
  absl::StatusOr<Assignment> a =
      Choose(agents, {{"ann", 2}, {"bob", 1}}, Strategy::kSkillsFirst, {});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");
  EXPECT_THAT(a->explanation, HasSubstr("(the ticket has no tags)"));
}

TEST(ShiftTest, AgentsOffShiftAreNotEligible) {
  std::vector<Agent> agents = {MakeAgent("ann", 5), MakeAgent("bob", 5)};
  agents[0].shift_calendar = "berlin-early";
  agents[1].shift_calendar = "nyc-late";
  std::vector<std::string> asked;
  auto in_shift = [&](const Agent& agent) {
    asked.push_back(agent.id);
    return agent.shift_calendar == "nyc-late";
  };
  absl::StatusOr<Assignment> a = ChooseAgent(
      kCare, agents, {{"bob", 4}}, Strategy::kLeastLoaded, {}, {}, in_shift);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "bob");  // ann is idle but off shift.
  EXPECT_THAT(a->explanation, HasSubstr("ann 0/5 off shift"));
  EXPECT_THAT(asked, ElementsAre("ann", "bob"));
}

TEST(ShiftTest, AnEmptyCallbackMeansAlwaysOnShift) {
  const std::vector<Agent> agents = {MakeAgent("ann", 5)};
  absl::StatusOr<Assignment> a =
      ChooseAgent(kCare, agents, {}, Strategy::kLeastLoaded, {}, {}, nullptr);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, "ann");
}

TEST(NobodyEligibleTest, TicketWaitsAndTheExplanationSaysWhy) {
  const std::vector<Agent> agents = {MakeAgent("ann", 5),
                                     MakeAgent("bob", 5, Availability::kAway),
                                     MakeAgent("cid", 4)};
  for (Strategy s : {Strategy::kRoundRobin, Strategy::kLeastLoaded,
                     Strategy::kSkillsFirst}) {
    absl::StatusOr<Assignment> a =
        Choose(agents, {{"ann", 5}, {"bob", 1}, {"cid", 4}}, s, {}, {"ann"});
    ASSERT_TRUE(a.ok()) << Name(s);
    EXPECT_EQ(a->agent, std::nullopt) << Name(s);
    EXPECT_THAT(a->candidates, IsEmpty());
    EXPECT_EQ(a->next_state.last_agent, "ann");  // Unchanged.
    EXPECT_EQ(a->explanation,
              "all 3 agents of team care are at capacity or away: ann 5/5 "
              "full, bob 1/5 away, cid 4/4 full; the ticket waits in the team "
              "queue")
        << Name(s);
  }
}

TEST(NobodyEligibleTest, OneAgentOrNone) {
  absl::StatusOr<Assignment> a =
      ChooseAgent(kCare, {MakeAgent("ann", 5)}, {}, Strategy::kLeastLoaded, {},
                  {}, [](const Agent&) { return false; });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, std::nullopt);
  EXPECT_EQ(a->explanation,
            "the only agent of team care is off shift: ann 0/5 off shift; the "
            "ticket waits in the team queue");

  Agent elsewhere = MakeAgent("zed", 5);
  elsewhere.teams = {"billing"};
  a = Choose({elsewhere}, {}, Strategy::kRoundRobin);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, std::nullopt);
  EXPECT_EQ(a->explanation,
            "team care has no agents; the ticket waits in the team queue");
}

TEST(QueueOnlyTest, NeverAssigns) {
  absl::StatusOr<Assignment> a =
      Choose({MakeAgent("ann", 5)}, {}, Strategy::kQueueOnly, {}, {"ann"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->agent, std::nullopt);
  EXPECT_EQ(a->next_state.last_agent, "ann");
  EXPECT_EQ(a->explanation,
            "queue_only: team care does not assign; the ticket waits in the "
            "team queue");
}

TEST(ChooseAgentTest, RejectsBadInput) {
  absl::StatusOr<Assignment> a =
      ChooseAgent(Team{}, {}, {}, Strategy::kRoundRobin, {}, {}, nullptr);
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), "team.id: must not be empty");

  a = Choose({}, {}, Strategy(9));
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), "strategy: unknown value 9");

  a = Choose({MakeAgent("ann", 5), MakeAgent("ann", 3)}, {},
             Strategy::kLeastLoaded);
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), "agents[1].id: duplicate \"ann\"");

  a = Choose({MakeAgent("", 5)}, {}, Strategy::kLeastLoaded);
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), "agents[0].id: must not be empty");

  a = Choose({MakeAgent("ann", -1)}, {}, Strategy::kLeastLoaded);
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(),
            "agents[0].capacity: must not be negative, got -1");
}

TEST(ChooseAgentTest, BadAgentsOfOtherTeamsDoNotMatter) {
  Agent broken = MakeAgent("ann", -1);
  broken.teams = {"billing"};
  absl::StatusOr<Assignment> a =
      Choose({broken, MakeAgent("bob", 1)}, {}, Strategy::kLeastLoaded);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->agent, "bob");
}

// ---------------------------------------------------------------- SortQueue

TEST(SortQueueTest, LeastTimeToBreachThenPriorityThenWaitThenId) {
  const absl::Time t0 = absl::FromUnixSeconds(1700000000);
  const absl::Time never = absl::InfiniteFuture();
  auto at = [&](int minutes) { return t0 + absl::Minutes(minutes); };
  const std::vector<QueuedTicket> expected = {
      {1, at(0), at(10), "low"},     // Breaches first, whatever its priority.
      {2, at(5), at(20), "urgent"},  // Same deadline: higher priority first,
      {3, at(1), at(20), "high"},    // ... even if it waited less.
      {4, at(2), at(20), "normal"},  // Same deadline and priority:
      {5, at(3), at(20), "normal"},  // ... longest waiting first,
      {6, at(3), at(20), "normal"},  // ... then the lower id.
      {7, at(4), at(20), "bogus"},   // Unknown priority ranks last.
      {8, at(9), never, "urgent"},   // No SLA clock: after every deadline.
      {9, at(1), never, "low"},
  };
  std::vector<QueuedTicket> queue = expected;
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(queue.begin(), queue.end(), rng);
    SortQueue(queue);
    std::vector<int64_t> ids;
    for (const QueuedTicket& q : queue) ids.push_back(q.ticket_id);
    EXPECT_THAT(ids, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9));
  }
}

TEST(SortQueueTest, EmptyQueueIsFine) {
  std::vector<QueuedTicket> queue;
  SortQueue(queue);
  EXPECT_THAT(queue, IsEmpty());
}

}  // namespace
}  // namespace cxdesk::escalation
