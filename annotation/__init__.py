"""nisba annotation: everything that talks to Label Studio or turns its JSON into data."""
