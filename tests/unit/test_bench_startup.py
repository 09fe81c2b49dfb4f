"""The startup benchmark's turns: every command as often as asked, in a new order each round."""

from __future__ import annotations

from bench import startup


def test_each_round_takes_its_turns_in_a_shuffled_order(monkeypatch):
    ran: list[str] = []

    def fake_run(command, **_env):
        ran.append(command[0])
        return 0.001 * (1 + len(ran) % 3)

    monkeypatch.setattr(startup, "timed_run", fake_run)
    names = [f"c{n}" for n in range(6)]
    medians = startup.interleaved_medians({name: ([name], {}) for name in names}, runs=9)
    assert sorted(medians) == names
    rounds = [ran[start : start + 6] for start in range(0, len(ran), 6)]
    assert len(rounds) == 9 and all(sorted(one) == names for one in rounds)
    # a fixed order put the same command after the baseline every round
    assert len({tuple(one) for one in rounds}) > 1
    followers = {one[one.index("c2") + 1] for one in rounds if one[-1] != "c2"}
    assert len(followers) > 1
