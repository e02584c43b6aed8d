import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { config } from "../config";
import { Employee } from "../employee";
import { Partner } from "../partner";
import * as Storage from "../platform/storage";
import { StaffGroup } from "../staff-group";
import { newCompany, type TestCompany } from "../test-helpers";
import { graphemes } from "../text";
import { Announcement, AnnouncementImage } from "./index";

let company: TestCompany;
let admin: Actor;
const asAdmin = <T>(run: () => Promise<T>) => withActor(admin, run);
const asPartner = <T>(partnerId: string, run: () => Promise<T>) =>
  withActor({ type: "partner", companyId: company.companyId, partnerId }, run);
const asSystem = <T>(run: () => Promise<T>) =>
  withActor({ type: "system", companyId: company.companyId, reason: "test" }, run);

let counter = 0;
const mobile = () =>
  `+33615${String(Date.now() % 1e4).padStart(4, "0")}${String(counter++).padStart(2, "0")}`;
const newPartner = (lastName: string, categoryIds = ["salarie-structure"]) =>
  asAdmin(() => Partner.create({ lastName, mobile: mobile(), categoryIds }));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
  company = await newCompany();
  admin = {
    type: "user",
    companyId: company.companyId,
    userId: company.admin.userId,
    role: "admin",
    agencyIds: [company.agencies[0]],
    name: "Alice",
  };
});

describe("titles and links", () => {
  it("counts characters as people see them, not UTF-16 units", () => {
    expect(graphemes("👍🏽")).toBe(1);
    expect(graphemes("e\u0301té")).toBe(3);
    expect("👍🏽".repeat(40).length).toBe(160);
    expect(Announcement.Title.safeParse("👍🏽".repeat(40)).success).toBe(true);
    expect(Announcement.Title.safeParse("👍🏽".repeat(41)).success).toBe(false);
    expect(Announcement.Title.safeParse("é".repeat(40)).success).toBe(true);
  });

  it("refuses a 41-character title in either language", async () => {
    const base = { type: "message" as const, groupIds: [StaffGroup.ALL], endsAt: inDays(1) };
    await expect(
      asAdmin(async () => Announcement.create({ ...base, titleFr: "a".repeat(41), titleEn: "ok" })),
    ).rejects.toThrow();
    await expect(
      asAdmin(async () => Announcement.create({ ...base, titleFr: "ok", titleEn: "🇫🇷".repeat(41) })),
    ).rejects.toThrow();
  });

  it("normalises www.site.fr to https and refuses other schemes", () => {
    expect(Announcement.normaliseLink("www.site.fr")).toBe("https://www.site.fr/");
    expect(Announcement.normaliseLink(" site.fr/offre?x=1 ")).toBe("https://site.fr/offre?x=1");
    expect(Announcement.normaliseLink("http://site.fr")).toBe("http://site.fr/");
    expect(Announcement.normaliseLink("javascript:alert(1)")).toBeUndefined();
    expect(Announcement.normaliseLink("pas un lien")).toBeUndefined();
  });
});

describe("groups", () => {
  it("« Tous les salariés » follows the staff categories: additions and departures", async () => {
    const before = (await asAdmin(() => StaffGroup.fromId(StaffGroup.ALL))).memberCount;
    const joined = await newPartner("Arrivée");
    await newPartner("Intérim", ["interimaire"]);
    expect((await asAdmin(() => StaffGroup.fromId(StaffGroup.ALL))).memberCount).toBe(before + 1);
    await asAdmin(() =>
      Partner.update({
        partnerId: joined.partnerId,
        lastName: "Arrivée",
        mobile: joined.mobile,
        categoryIds: ["client"],
      }),
    );
    expect((await asAdmin(() => StaffGroup.fromId(StaffGroup.ALL))).memberCount).toBe(before);
  });

  it("adds, searches and removes employees; refuses partners who are not employees", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Atelier" }));
    const paul = await newPartner("Paulin");
    const zoe = await newPartner("Zoé");
    const outsider = await newPartner("Dehors", ["client"]);
    await asAdmin(() =>
      StaffGroup.add({ groupId: group.groupId, partnerIds: [paul.partnerId, zoe.partnerId, paul.partnerId] }),
    );
    expect((await asAdmin(() => StaffGroup.members({ groupId: group.groupId }))).map((m) => m.name)).toEqual([
      "Paulin",
      "Zoé",
    ]);
    expect(
      (await asAdmin(() => StaffGroup.members({ groupId: group.groupId, q: "zoe" }))).map((m) => m.name),
    ).toEqual(["Zoé"]);
    await expect(
      asAdmin(() => StaffGroup.add({ groupId: group.groupId, partnerIds: [outsider.partnerId] })),
    ).rejects.toMatchObject({ code: "group.not_employee" });
    await asAdmin(() => StaffGroup.removeMember({ groupId: group.groupId, partnerId: paul.partnerId }));
    expect((await asAdmin(() => StaffGroup.fromId(group.groupId))).memberCount).toBe(1);
    await expect(asAdmin(() => StaffGroup.create({ name: "atelier" }))).rejects.toMatchObject({
      code: "group.exists",
    });
    await expect(asAdmin(() => StaffGroup.remove(StaffGroup.ALL))).rejects.toMatchObject({
      code: "group.built_in",
    });
  });
});

describe("group paste", () => {
  it("adds the employees of a pasted Excel column and names what matched no one or no employee", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Collé" }));
    const byMobile = await newPartner("Mobile");
    const byMatricule = await asAdmin(() =>
      Partner.create({
        lastName: "Matricule",
        matricule: "M-778",
        mobile: mobile(),
        categoryIds: ["salarie-structure"],
      }),
    );
    const client = await newPartner("Client collé", ["client"]);
    const pasted = await asAdmin(() =>
      StaffGroup.paste({
        groupId: group.groupId,
        text: `${byMobile.mobile}\r\n"m-778"\n${client.mobile}\ninconnu@example.fr\n`,
      }),
    );
    expect(pasted.added).toBe(2);
    expect(pasted.unknown).toEqual(["inconnu@example.fr"]);
    expect(pasted.notEmployees).toEqual([client.mobile]);
    expect(
      (await asAdmin(() => StaffGroup.members({ groupId: group.groupId }))).map((m) => m.partnerId).sort(),
    ).toEqual([byMobile.partnerId, byMatricule.partnerId].sort());
  });
});

describe("announcements", () => {
  it("shows an announcement to its groups only, and 404s it by id for anyone else", async () => {
    const group = await asAdmin(() => StaffGroup.create({ name: "Cariste" }));
    const inside = await newPartner("Dedans");
    const outside = await newPartner("Ailleurs");
    const client = await newPartner("Client", ["client"]);
    await asAdmin(() => StaffGroup.add({ groupId: group.groupId, partnerIds: [inside.partnerId] }));
    const created = await asAdmin(() =>
      Announcement.create({
        type: "advantage",
        titleFr: "Réduction cinéma",
        titleEn: "Cinema discount",
        description: "Moins 20 %",
        link: "www.cine.fr",
        groupIds: [group.groupId],
        endsAt: inDays(2),
      }),
    );
    expect(created).toMatchObject({ status: "live", targeted: 1, link: "https://www.cine.fr/" });
    const mine = await asPartner(inside.partnerId, () => Announcement.mine());
    expect(mine.map((a) => a.announcementId)).toContain(created.announcementId);
    expect(await asPartner(outside.partnerId, () => Announcement.mine())).not.toContainEqual(
      expect.objectContaining({ announcementId: created.announcementId }),
    );
    await expect(
      asPartner(outside.partnerId, () => Announcement.open(created.announcementId)),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      asPartner(client.partnerId, () => Announcement.open(created.announcementId)),
    ).rejects.toMatchObject({
      status: 404,
    });
    // Opened twice, counted once.
    await asPartner(inside.partnerId, () => Announcement.open(created.announcementId));
    const opened = await asPartner(inside.partnerId, () => Announcement.open(created.announcementId));
    expect(opened).toMatchObject({ read: true, title: "Réduction cinéma" });
    expect((await asAdmin(() => Announcement.fromId(created.announcementId))).opened).toBe(1);
  });

  it("speaks English to an English-speaking employee", async () => {
    const english = await asAdmin(() =>
      Partner.create({
        lastName: "Smith",
        mobile: mobile(),
        categoryIds: ["salarie-structure"],
        language: "en",
      }),
    );
    const created = await asAdmin(() =>
      Announcement.create({
        type: "deal",
        titleFr: "Bon plan",
        titleEn: "Good deal",
        groupIds: [StaffGroup.ALL],
        endsAt: inDays(1),
      }),
    );
    const mine = await asPartner(english.partnerId, () => Announcement.mine());
    expect(mine.find((a) => a.announcementId === created.announcementId)?.title).toBe("Good deal");
  });

  it("schedules its start and end with the Scheduler and hides it outside the window", async () => {
    const employee = await newPartner("Fenêtre");
    const created = await asAdmin(() =>
      Announcement.create({
        type: "message",
        titleFr: "Plus tard",
        titleEn: "Later",
        groupIds: [StaffGroup.ALL],
        startsAt: inDays(1),
        endsAt: inDays(3),
      }),
    );
    expect(created.status).toBe("scheduled");
    const scheduler = process.env.AWS_ENDPOINT_URL_SCHEDULER!;
    const schedule = async (edge: "start" | "end") => {
      const answer = await fetch(
        `${scheduler}/_emulator/schedules/${config("SCHEDULE_GROUP")}/${Announcement.scheduleName(created.announcementId, edge)}`,
      );
      return answer.status === 200 ? ((await answer.json()) as { nextFireAt?: string }) : undefined;
    };
    expect(await schedule("start")).toBeDefined();
    expect(await schedule("end")).toBeDefined();
    // Before its start, not even its id opens it.
    await expect(
      asPartner(employee.partnerId, () => Announcement.open(created.announcementId)),
    ).rejects.toMatchObject({
      status: 404,
    });
    // The start job (as the Scheduler delivers it) makes it live once; a repeat does nothing.
    const job = {
      kind: "announcement.window" as const,
      companyId: company.companyId,
      announcementId: created.announcementId,
    };
    expect(await asSystem(() => Announcement.Window.run({ ...job, edge: "start" }, context))).toMatchObject({
      outcome: "started",
    });
    expect(await asSystem(() => Announcement.Window.run({ ...job, edge: "start" }, context))).toMatchObject({
      outcome: "skipped",
    });
    expect(await asSystem(() => Announcement.Window.run({ ...job, edge: "end" }, context))).toMatchObject({
      outcome: "ended",
    });
    expect((await asAdmin(() => Announcement.fromId(created.announcementId))).status).toBe("ended");
    // Withdrawn: both schedules are gone.
    await asAdmin(() => Announcement.remove(created.announcementId));
    expect(await schedule("start")).toBeUndefined();
    expect(await schedule("end")).toBeUndefined();
  });

  it("keeps the Contact section for employees", async () => {
    await asAdmin(() =>
      Employee.updateSettings({ phone: "04 72 00 00 00", email: "rh@example.fr", hours: "de 9h00 à 12h00" }),
    );
    const employee = await newPartner("Contact");
    const client = await newPartner("Pas salarié", ["client"]);
    expect(await asPartner(employee.partnerId, () => Employee.contact())).toEqual({
      phone: "04 72 00 00 00",
      email: "rh@example.fr",
      hours: "de 9h00 à 12h00",
    });
    await expect(asPartner(client.partnerId, () => Employee.contact())).rejects.toMatchObject({
      status: 404,
    });
  });

  it("defers notifications published in the quiet window to its end (Paris time)", () => {
    const quiet = { quietStart: "20:00", quietEnd: "09:00" };
    // 21:30 in Paris in winter is 20:30 UTC; notifications wait for 09:00 Paris, 08:00 UTC.
    expect(Employee.notifyAt(new Date("2026-12-07T20:30:00Z"), quiet).toISOString()).toBe(
      "2026-12-08T08:00:00.000Z",
    );
    expect(Employee.notifyAt(new Date("2026-12-07T10:00:00Z"), quiet).toISOString()).toBe(
      "2026-12-07T10:00:00.000Z",
    );
  });
});

const context = { deadline: Date.now() + 60_000, timeLeft: () => 60_000, redelivered: false };

describe("illustrations", () => {
  /** A JPEG with an EXIF segment (APP1) carrying a marker, as a phone's photo carries its location. */
  async function photo(width: number, height: number) {
    const { Jimp } = await import("jimp");
    const jpeg = await new Jimp({ width, height, color: 0x3366ccff }).getBuffer("image/jpeg");
    const payload = Buffer.concat([Buffer.from("Exif\0\0"), Buffer.from("GPS-SECRET-45.76N-4.83E")]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0, payload.length + 2]), payload]);
    return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
  }

  const newAnnouncement = () =>
    asAdmin(() =>
      Announcement.create({
        type: "advantage",
        titleFr: "Image",
        titleEn: "Image",
        groupIds: [StaffGroup.ALL],
        endsAt: inDays(1),
      }),
    );

  it("resizes to a few widths, re-encoded without EXIF, and deletes the original", async () => {
    const { announcementId } = await newAnnouncement();
    const prefix = `announcements/${company.companyId}/${announcementId}`;
    const original = await photo(2000, 1000);
    expect(original.includes("GPS-SECRET")).toBe(true);
    await Storage.put("attachments", `${prefix}/original`, new Uint8Array(original), "image/jpeg");
    const done = await asAdmin(() => AnnouncementImage.process(announcementId));
    expect(done.widths).toEqual([320, 640, 1280]);
    const { Jimp } = await import("jimp");
    for (const width of done.widths) {
      const bytes = Buffer.from(await Storage.readBytes("attachments", `${prefix}/${width}.jpg`));
      expect(bytes.includes("GPS-SECRET")).toBe(false);
      expect(bytes.includes("Exif")).toBe(false);
      const image = await Jimp.read(bytes);
      expect([image.width, image.height]).toEqual([width, width / 2]);
    }
    await expect(Storage.readBytes("attachments", `${prefix}/original`)).rejects.toSatisfy(Storage.isMissing);
    const employee = await newPartner("Regarde");
    const seen = await asPartner(employee.partnerId, () => Announcement.open(announcementId));
    expect(seen.imageWidths).toEqual([320, 640, 1280]);
  });

  it("never enlarges a small image and refuses what is not an image", async () => {
    const small = await newAnnouncement();
    const prefix = `announcements/${company.companyId}/${small.announcementId}`;
    await Storage.put(
      "attachments",
      `${prefix}/original`,
      new Uint8Array(await photo(500, 250)),
      "image/jpeg",
    );
    expect((await asAdmin(() => AnnouncementImage.process(small.announcementId))).widths).toEqual([320]);
    const fake = await newAnnouncement();
    const fakePrefix = `announcements/${company.companyId}/${fake.announcementId}`;
    await Storage.put(
      "attachments",
      `${fakePrefix}/original`,
      new TextEncoder().encode("MZ not a picture"),
      "image/png",
    );
    await expect(asAdmin(() => AnnouncementImage.process(fake.announcementId))).rejects.toMatchObject({
      code: "announcement.image_invalid",
    });
  });
});
