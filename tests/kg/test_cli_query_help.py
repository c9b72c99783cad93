from typer.testing import CliRunner

from kg.cli.app import app


def test_query_help_shows_the_iri_form_of_a_binding():
    result = CliRunner().invoke(app, ["query", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Substitute a variable: <iri>, number, true/false or text." in result.output
