"""meetings.known_people on a real SQLite store: the organisations' people from the directory the server sends
(store.reference.load_directory) with their role's label as the title and no phone, merged with the people invited
before, whose typed title and phone win; a role this version does not know gives an empty title."""
from fx_desktop.services import meetings
from fx_desktop.store import reference
from tests.services.test_services_meetings import STAFF, prepare

PEOPLE = [{"org": "ghzy", "name": "刘科长", "role": "department_liaison"},
          {"org": "ghzy", "name": "高峰", "role": "department_liaison"},
          {"org": "nanqiao", "name": "张伟", "role": "squad_leader"},
          {"org": "sthj", "name": "周敏", "role": "a_role_of_a_newer_server"}]


def test_known_people_merge_the_directory_with_the_people_invited_before(store):
    assert meetings.known_people(store, STAFF) == {}  # before the first sync: nobody
    with store.writes.begin() as session:
        reference.load_directory(session, {"version": 0, "people": PEOPLE})
    prepare(store)  # invites 刘科长 of ghzy as 科长, 57420001, and 陈书记 of a typed unit
    known = meetings.known_people(store, STAFF)
    assert known[("ghzy", "")] == {"刘科长": {"name": "刘科长", "title": "科长", "phone": "57420001"},
                                   "高峰": {"name": "高峰", "title": "行业管理部门联络员", "phone": ""}}
    assert known[("nanqiao", "")] == {"张伟": {"name": "张伟", "title": "中队长", "phone": ""}}
    assert known[("sthj", "")] == {"周敏": {"name": "周敏", "title": "", "phone": ""}}
    assert known[(None, "江海村委")]["陈书记"]["title"] == "书记"


def test_a_newer_directory_replaces_the_one_before(store):
    with store.writes.begin() as session:
        reference.load_directory(session, {"version": 0, "people": PEOPLE})
    with store.writes.begin() as session:
        reference.load_directory(session, {"version": 0, "people": PEOPLE[2:3]})
    assert meetings.known_people(store, STAFF) == {("nanqiao", ""): {"张伟": {"name": "张伟", "title": "中队长",
                                                                             "phone": ""}}}
