/** Reading another system's member export (issue 18 "Import"): columns recognised, rows checked in words. */
import { describe, expect, it } from "vitest";
import { importActions, importDate, mappingProblem, readImportRows, suggestMapping } from "../../../domain/admin/memberImport.js";

describe("member import mapping", () => {
  it("recognises the column names Mindbody, Glofox and PushPress export", () => {
    expect(suggestMapping(["ID", "First Name", "Last Name", "Email", "Mobile Phone", "Membership", "Status", "Creation Date"])).toEqual({
      firstName: "First Name",
      lastName: "Last Name",
      email: "Email",
      phone: "Mobile Phone",
      plan: "Membership",
      status: "Status",
      joinedOn: "Creation Date",
    });
    expect(suggestMapping(["first_name", "last_name", "email", "phone", "membership_name", "member_status", "created"])).toEqual({
      firstName: "first_name",
      lastName: "last_name",
      email: "email",
      phone: "phone",
      plan: "membership_name",
      status: "member_status",
      joinedOn: "created",
    });
    expect(suggestMapping(["Full Name", "E-mail", "Plan", "Join Date", "Tags", "Notes"])).toEqual({
      name: "Full Name",
      email: "E-mail",
      plan: "Plan",
      joinedOn: "Join Date",
      tags: "Tags",
    });
  });

  it("says in words what a mapping lacks: a column not in the file, the email, the name", () => {
    const headers = ["Name", "Mail"];
    expect(mappingProblem({ name: "Name", email: "Mail" }, headers)).toBeNull();
    expect(mappingProblem({ name: "Name", email: "Email" }, headers)).toBe('The file has no column "Email" (for email).');
    expect(mappingProblem({ name: "Name" }, headers)).toMatch(/email address/);
    expect(mappingProblem({ email: "Mail" }, headers)).toMatch(/name/);
  });
});

describe("member import rows", () => {
  const headers = ["First Name", "Last Name", "Email", "Phone", "Plan", "Status", "Join Date", "Tags"];
  const mapping = suggestMapping(headers);

  it("reads names, emails, plans, statuses, dates and tags as other systems write them", () => {
    const { rows, errors } = readImportRows(
      [
        ["Ana", "Silva", " Ana@Example.com ", "+49 170 1234567", "unlimited", "Active", "3/1/2024", "trial; early bird"],
        ["Ben", "", "ben@example.com", "", "", "On Hold", "2023-11-05T10:00:00Z", ""],
        ["Cem", "Yıldız", "cem@example.com", "", "", "Terminated", "1.2.2022", "vip|vip"],
      ],
      headers,
      mapping,
      ["Unlimited", "10-Class Pack"],
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        name: "Ana Silva",
        email: "ana@example.com",
        phone: "+49 170 1234567",
        plan: "Unlimited",
        status: "active",
        joinedOn: "2024-03-01",
        tags: ["trial", "early bird"],
      },
      { line: 3, name: "Ben", email: "ben@example.com", phone: null, plan: null, status: "frozen", joinedOn: "2023-11-05", tags: [] },
      {
        line: 4,
        name: "Cem Yıldız",
        email: "cem@example.com",
        phone: null,
        plan: null,
        status: "cancelled",
        joinedOn: "2022-02-01",
        tags: ["vip"],
      },
    ]);
  });

  it("names each row's problem with its line and what to do, and leaves that row out", () => {
    const { rows, errors } = readImportRows(
      [
        ["", "", "nobody@example.com", "", "", "", "", ""],
        ["Dee", "Lee", "not-an-email", "", "Gold", "sleeping", "31/31/2024", ""],
        ["Eve", "Ng", "eve@example.com", "", "", "", "", ""],
        ["Eve", "Twin", "EVE@example.com", "", "", "", "", ""],
      ],
      headers,
      mapping,
      ["Unlimited"],
    );
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(errors).toEqual([
      { line: 2, field: "name", message: "No name." },
      { line: 3, field: "email", message: '"not-an-email" is not an email address.' },
      { line: 3, field: "plan", message: 'No plan named "Gold" in this gym — create it on Plans first, or leave the cell empty.' },
      { line: 3, field: "status", message: 'Unknown status "sleeping" — use active, frozen, past due or cancelled.' },
      { line: 3, field: "joinedOn", message: '"31/31/2024" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.' },
      { line: 5, field: "email", message: "The same email as line 4 — one person per email." },
    ]);
  });

  it("parses only real dates", () => {
    expect(importDate("2024-02-29")).toBe("2024-02-29");
    expect(importDate("2023-02-29")).toBeNull();
    expect(importDate("12/31/2024")).toBe("2024-12-31");
    expect(importDate("31.12.2024")).toBe("2024-12-31");
    expect(importDate("yesterday")).toBeNull();
  });

  it("matches people by email: members stay as they are, accounts of other gyms join, the rest are new", () => {
    const { rows } = readImportRows(
      [
        ["A", "", "a@x.io", "", "", "", "", ""],
        ["B", "", "b@x.io", "", "", "", "", ""],
        ["C", "", "c@x.io", "", "", "", "", ""],
      ],
      headers,
      mapping,
      [],
    );
    expect(importActions(rows, { members: new Set(["a@x.io"]), users: new Set(["a@x.io", "b@x.io"]) })).toEqual(["matched", "join", "add"]);
  });
});
