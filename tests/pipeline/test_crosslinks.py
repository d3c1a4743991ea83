from pipeline.crosslinks import compute


def test_links_are_derived_from_declarations():
    links = compute(
        posts=[("p2", "ana", ["botox", "peel"]), ("p1", "ana", ["botox"]), ("p0", "ghost", ["draft-proc"])],
        team=[("ana", ["botox"], ["north"]), ("ben", ["peel", "botox"], ["south", "north"])],
        procedures=[("botox", ["peel"]), ("peel", []), ("laser", ["botox", "laser"])],
    )
    assert links.procedure_posts == {"botox": ["p2", "p1"], "peel": ["p2"], "laser": []}
    assert links.procedure_providers == {"botox": ["ana", "ben"], "peel": ["ben"], "laser": []}
    # related links run both ways, in procedure order, never to itself
    assert links.procedure_related == {"botox": ["peel", "laser"], "peel": ["botox"], "laser": ["botox"]}
    assert links.member_posts == {"ana": ["p2", "p1"], "ben": []}
    assert links.location_team == {"north": ["ana", "ben"], "south": ["ben"]}
    assert links.procedure_locations == {"botox": ["north", "south"], "peel": ["south", "north"], "laser": []}
    assert links.location_procedures == {"north": ["botox", "peel"], "south": ["botox", "peel"]}


def test_unknown_ids_are_ignored():
    links = compute(posts=[("p", "nobody", ["nothing"])], team=[], procedures=[])
    assert links.procedure_posts == {} and links.member_posts == {}
