"""The catalogue is data checked at definition time; the listing command shows it."""

import json

import pytest

from conformance import cli
from conformance.model import documentation, member_shape
from conformance.rules import AREAS, Catalogue, CatalogueError, Rule, all_rules, get, in_area
from conformance.rules.catalogue import declare


def test_catalogue_has_at_least_40_rules_in_every_area():
    rules = all_rules()
    assert len(rules) >= 40
    assert {rule.area for rule in rules} == set(AREAS)


def test_every_rule_states_one_must_and_cites_the_installed_model():
    for rule in all_rules():
        assert rule.statement.count("MUST") == 1, rule.id
        assert member_shape(rule.operation, rule.member) is not None
        assert documentation(rule.operation, rule.member), f"{rule.id} cites undocumented {rule.citation}"
        assert rule.marker in AREAS


def test_get_finds_rules_and_names_unknown_ids():
    first = all_rules()[0]
    assert get(first.id) is first
    with pytest.raises(KeyError, match="unknown rule id 'no.such.rule'"):
        get("no.such.rule")
    assert all(rule.area == "tags" for rule in in_area("tags"))


def test_rule_with_unresolvable_citation_fails_when_defined():
    with pytest.raises(CatalogueError, match="does not resolve in the installed botocore"):
        Rule("endpoint.x.y", "lifecycle", "X MUST y.", "UpdateEndpoint", "DeploymentConfig.NoSuchMember")
    with pytest.raises(CatalogueError, match="unknown operation 'NoSuchOperation'"):
        Rule("endpoint.x.y", "lifecycle", "X MUST y.", "NoSuchOperation")


def test_rule_with_unknown_area_or_bad_id_fails_when_defined():
    with pytest.raises(CatalogueError, match="unknown area 'billing'"):
        Rule("endpoint.x.y", "billing", "X MUST y.", "CreateEndpoint")
    with pytest.raises(CatalogueError, match="malformed"):
        Rule("Endpoint X", "lifecycle", "X MUST y.", "CreateEndpoint")
    with pytest.raises(CatalogueError, match="MUST"):
        Rule("endpoint.x.y", "lifecycle", "X should y.", "CreateEndpoint")


def test_duplicate_ids_and_misfiled_rules_are_refused():
    rule = Rule("endpoint.x.y", "lifecycle", "X MUST y.", "CreateEndpoint")
    with pytest.raises(CatalogueError, match="duplicate rule id 'endpoint.x.y'"):
        Catalogue([rule, Rule("endpoint.x.y", "tags", "Z MUST w.", "AddTags")])
    with pytest.raises(CatalogueError, match="declared in area 'tags'"):
        declare("tags", [rule])


def test_rules_are_frozen():
    with pytest.raises(Exception):
        all_rules()[0].statement = "changed"


def test_rules_command_lists_every_rule_as_json_with_botocore_documentation(capsys):
    assert cli.main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [entry["id"] for entry in listed] == [rule.id for rule in all_rules()]
    entry = next(e for e in listed if e["id"] == "endpoint.update.retain-deployment-config")
    assert entry["citation"] == {"operation": "UpdateEndpoint", "member": "RetainDeploymentConfig"}
    assert entry["documentation"] == documentation("UpdateEndpoint", "RetainDeploymentConfig")


def test_rules_command_filters_by_area_in_text(capsys):
    assert cli.main(["rules", "--area", "search"]) == 0
    out = capsys.readouterr().out
    for rule in all_rules():
        assert (rule.id in out) == (rule.area == "search")
    assert out.strip().endswith(f"{len(in_area('search'))} rules")


def test_rules_command_rejects_an_unknown_area_in_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["rules", "--area", "billing"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_machines_decide_exactly_the_catalogue():
    from conformance.machines import MACHINES, decided_rules

    decided = set()
    for spec in MACHINES.values():
        rules = decided_rules(spec.load())
        unknown = [rule_id for rule_id in rules if rule_id not in {r.id for r in all_rules()}]
        assert not unknown, f"{spec.name} decides rules missing from the catalogue: {unknown}"
        decided |= set(rules)
    assert decided == {rule.id for rule in all_rules()}
