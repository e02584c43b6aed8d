import { fromZonedTime } from "date-fns-tz";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { defaultQuietHours, nextAllowed } from "../../core/delivery/quiet-hours";
import * as Job from "../../core/job";
import { campaignIdOf, fire, tick } from "../../core/reminder/fire";
import { addMonths } from "../../core/reminder/planning";
import { shardOf, today } from "../../core/reminder/reminder";
import { ReminderEntity } from "../../core/reminder/reminder.entity";
import { reminderTickJob } from "../../core/reminder/schedule";
import { Suppression } from "../../core/suppression";
import {
  addUser,
  type Browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/**
 * « Relance clients » end to end: a customer and their vehicle in three steps, the planning helper,
 * reminders listed, moved, cancelled; then firing on their day through the hourly tick, exactly once
 * under redelivery, duplicated runs and a run cut short; STOP cancels what is pending.
 */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany("Garage Test");
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
  expect(
    (await admin.patch(`/api/agencies/${company.agencies[0]}`, { phone: "01 23 45 67 89" })).status,
  ).toBe(200);
});

const freshMobile = () => `+33616${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const plate = () => {
  const letters = "ABCDEFGHJKLMNPQRTVXYZ";
  const pick = () => letters[Math.floor(Math.random() * letters.length)]!;
  return `${pick()}${pick()}-${String(100 + Math.floor(Math.random() * 899))}-${pick()}${pick()}`;
};

async function newCustomer(extra: Record<string, unknown> = {}) {
  const mobile = freshMobile();
  const saved = await admin.post("/api/reminders/customers", {
    agencyId: company.agencies[0],
    mobile,
    civility: "M et Mme",
    lastName: `Martin${ulid().slice(-5)}`,
    vehicle: {
      plate: plate(),
      make: "Peugeot",
      model: "308",
      deliveryDate: "15032022",
      deliveryKm: "0",
      lastDate: "15/03/2024",
      lastKm: "30 000",
    },
    ...extra,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const customer = saved.body.customer as {
    contactId: string;
    vehicles: Array<{ vehicleId: string; plate: string }>;
  };
  return { mobile, contactId: customer.contactId, vehicle: customer.vehicles[0]! };
}

type Reminder = {
  reminderId: string;
  delivery?: string;
  status: string;
  dueOn: string;
  firesAt?: string;
  cancelReason?: string;
  campaignId?: string;
};

async function scheduleFor(
  customer: Awaited<ReturnType<typeof newCustomer>>,
  items: Array<Record<string, unknown>>,
) {
  const answer = await admin.post("/api/reminders", {
    contactId: customer.contactId,
    vehicleId: customer.vehicle.vehicleId,
    agencyId: company.agencies[0],
    items,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { reminders: Reminder[]; sameDay: string[] };
}

/** The day comes: the reminder's day is moved to today in the table, as the calendar would. */
async function dueToday(reminderIds: string[]) {
  for (const reminderId of reminderIds)
    await ReminderEntity.patch({ companyId: company.companyId, reminderId })
      .set({ dueOn: today(), dueDay: today(), dueShard: shardOf(reminderId) })
      .go();
}

const fieldOf = (body: unknown) =>
  (body as { error?: { fields?: Array<{ path: string }> } }).error?.fields?.[0]?.path;

const statusOf = async (reminderId: string) =>
  (await admin.get(`/api/reminders/${reminderId}`)).body.reminder as Reminder;

describe("customers and scenarios", () => {
  it("seeds the scenarios, lets a Manager edit one and switch one off, and add the company's own", async () => {
    const list = await admin.get("/api/reminders/scenarios");
    const names = (list.body.items as Array<{ name: string }>).map((item) => item.name);
    expect(names.slice(0, 11)).toEqual([
      "Amortisseurs",
      "Changement pneu",
      "Contrôle technique",
      "Courroie de distribution",
      "Échappement",
      "Liquide de frein",
      "Pré contrôle technique",
      "Recharge climatisation",
      "Révision",
      "Système de freinage",
      "Texte libre",
    ]);
    const manager = await loggedIn(company, (await addUser(company, "manager", [company.agencies[0]])).email);
    const edited = await manager.patch("/api/reminders/scenarios/echappement", {
      template: "Bonjour {civilite} {nom}, pensez a l'echappement de votre {modele}.",
      enabled: false,
    });
    expect(edited.status).toBe(200);
    const own = await manager.post("/api/reminders/scenarios", {
      name: "Géométrie",
      template: "Bonjour {nom}, la geometrie de votre {modele} ?",
      delayMonths: 18,
    });
    expect(own.status).toBe(201);
    const user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
    expect((await user.patch("/api/reminders/scenarios/revision", { enabled: false })).status).toBe(403);
    const again = (await admin.get("/api/reminders/scenarios")).body.items as Array<{
      scenarioId: string;
      enabled: boolean;
      name: string;
    }>;
    expect(again.find((item) => item.scenarioId === "echappement")?.enabled).toBe(false);
    expect(again.at(-1)?.name).toBe("Géométrie");
  });

  it("gives the whole catalogue to first reads racing each other in a new company", async () => {
    const fresh = await newCompany();
    const as = await loggedIn(fresh, fresh.admin.email);
    const lists = await Promise.all([1, 2, 3, 4].map(() => as.get("/api/reminders/scenarios")));
    for (const list of lists) expect(list.body.items).toHaveLength(11);
  });

  it("finds a customer by mobile, and refuses a bad plate or a mileage going down with the field named", async () => {
    const customer = await newCustomer();
    const found = await admin.get(
      `/api/reminders/customers/lookup?mobile=${encodeURIComponent(`0${customer.mobile.slice(3)}`)}`,
    );
    expect(found.body.customer, JSON.stringify(found.body)).toMatchObject({
      contactId: customer.contactId,
      civility: "M et Mme",
      vehicles: [{ plate: customer.vehicle.plate, deliveryDate: "2022-03-15", lastKm: 30000 }],
    });
    expect(
      (await admin.get("/api/reminders/customers/lookup?mobile=0699999999")).body.customer,
    ).toBeUndefined();

    const badPlate = await admin.post("/api/reminders/customers", {
      agencyId: company.agencies[0],
      mobile: freshMobile(),
      lastName: "Durand",
      vehicle: { plate: "AO-123-BC" },
    });
    expect(badPlate.status).toBe(400);
    expect(fieldOf(badPlate.body)).toBe("vehicle.plate");
    // The code lets the console say it in the person's language.
    expect(
      (badPlate.body as unknown as { error: { fields: Array<{ code?: string }> } }).error.fields[0]?.code,
    ).toBe("plate.invalid");
    const down = await admin.post("/api/reminders/customers", {
      agencyId: company.agencies[0],
      mobile: freshMobile(),
      lastName: "Durand",
      vehicle: {
        plate: "AB-123-CD",
        deliveryDate: "01/01/2020",
        deliveryKm: "40000",
        lastDate: "01/01/2023",
        lastKm: "30000",
      },
    });
    expect(down.status).toBe(400);
    expect(fieldOf(down.body)).toBe("vehicle.lastKm");
  });

  it("plans from the vehicle's dates and mileages, and warns when two reminders fall on the same day", async () => {
    const plan = await admin.post("/api/reminders/plan", {
      vehicle: { deliveryDate: "15/03/2022", deliveryKm: "0", lastDate: "15/03/2024", lastKm: "30 000" },
      scenarioIds: ["revision", "controle_technique"],
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.kmPerYear).toBe(15000);
    expect(plan.body.assumed).toBe(false);
    const proposals = plan.body.proposals as Array<{ scenarioId: string; date: string }>;
    expect(proposals.map((proposal) => proposal.scenarioId)).toEqual(["revision", "controle_technique"]);
    for (const proposal of proposals) expect(proposal.date > today()).toBe(true);

    const wrong = await admin.post("/api/reminders/plan", {
      vehicle: { deliveryDate: "15/03/2022", deliveryKm: "0", lastDate: "15/03/2021", lastKm: "10000" },
      scenarioIds: ["revision"],
    });
    expect(wrong.status).toBe(400);
    expect(fieldOf(wrong.body)).toBe("vehicle.lastDate");

    const customer = await newCustomer();
    const day = addMonths(today(), 2);
    const scheduled = await scheduleFor(customer, [
      { scenarioId: "controle_technique", date: `${day.slice(8)}/${day.slice(5, 7)}/${day.slice(0, 4)}` },
      { scenarioId: "revision", date: day },
    ]);
    expect(scheduled.sameDay).toEqual([day]);
    expect(scheduled.reminders.map((reminder) => reminder.dueOn)).toEqual([day, day]);
  });

  it("lists reminders with search by plate, name or number; moves one and cancels another", async () => {
    const customer = await newCustomer();
    const { reminders } = await scheduleFor(customer, [
      { scenarioId: "revision", inMonths: 6 },
      { scenarioId: "texte_libre", inMonths: 3, text: "Bonjour, vos pneus hiver sont prets." },
    ]);
    expect(reminders[0]!.dueOn).toBe(addMonths(today(), 6));
    // Quiet hours are off for this company: it goes at the day's local midnight.
    expect(reminders[0]!.firesAt).toBe(
      fromZonedTime(`${reminders[0]!.dueOn}T00:00:00`, "Europe/Paris").toISOString(),
    );

    for (const query of [
      customer.vehicle.plate.replace(/-/g, ""),
      customer.vehicle.plate.toLowerCase(),
      `0${customer.mobile.slice(3)}`,
    ]) {
      const found = await admin.get(`/api/reminders?query=${encodeURIComponent(query)}&status=pending`);
      expect((found.body.items as Reminder[]).map((item) => item.reminderId).sort(), query).toEqual(
        reminders.map((reminder) => reminder.reminderId).sort(),
      );
    }
    const moved = await admin.patch(`/api/reminders/${reminders[0]!.reminderId}`, {
      date: addMonths(today(), 7),
    });
    expect(moved.status).toBe(200);
    expect((moved.body.reminder as Reminder).dueOn).toBe(addMonths(today(), 7));
    expect((await admin.patch(`/api/reminders/${reminders[0]!.reminderId}`, { date: today() })).status).toBe(
      400,
    );

    expect((await admin.post(`/api/reminders/${reminders[1]!.reminderId}/cancel`)).status).toBe(200);
    expect((await admin.post(`/api/reminders/${reminders[1]!.reminderId}/cancel`)).status).toBe(409);
    const cancelled = await admin.get(`/api/reminders?status=cancelled&contactId=${customer.contactId}`);
    expect(cancelled.body.items).toMatchObject([
      { reminderId: reminders[1]!.reminderId, cancelReason: "user" },
    ]);
    // A cancelled reminder has left the firing index.
    const { data } = await ReminderEntity.get({
      companyId: company.companyId,
      reminderId: reminders[1]!.reminderId,
    }).go();
    expect(data?.dueDay).toBeUndefined();
  });

  it("keeps a user to the reminders of their agencies", async () => {
    const customer = await newCustomer();
    const { reminders } = await scheduleFor(customer, [{ scenarioId: "revision", inMonths: 6 }]);
    const elsewhere = await loggedIn(
      company,
      (await addUser(company, "user", [company.agencies[1] ?? "none"])).email,
    );
    expect((await elsewhere.get(`/api/reminders/${reminders[0]!.reminderId}`)).status).toBe(404);
    const listed = await elsewhere.get(`/api/reminders?contactId=${customer.contactId}`);
    expect(listed.body.items).toEqual([]);
  });
});

describe("firing", () => {
  it("sends each due reminder once on its day, through the hourly tick, and shows it « Envoyé »", async () => {
    const customer = await newCustomer();
    const { reminders } = await scheduleFor(customer, [{ scenarioId: "controle_technique", inMonths: 2 }]);
    await dueToday([reminders[0]!.reminderId]);
    // The tick as the Scheduler sends it, its time a context attribute: hours late (a backlog), so the
    // run ends well after the occurrence it acts for, yet on today's date.
    const midnight = fromZonedTime(`${today()}T00:01:00`, "Europe/Paris").getTime();
    await Job.enqueue({
      ...reminderTickJob,
      at: new Date(Math.max(midnight, Date.now() - 2 * 3_600_000)).toISOString(),
    });
    const sent = await until(async () => {
      const reminder = await statusOf(reminders[0]!.reminderId);
      return reminder.status === "sent" ? reminder : undefined;
    }, 40_000);
    const message = await until(async () => {
      const { data } = await MessageEntity.query
        .byCampaign({ companyId: company.companyId, campaignId: sent.campaignId! })
        .go();
      return data.find((item) => item.messageId === reminders[0]!.reminderId && item.status !== "scheduled");
    }, 40_000);
    expect(message.to).toBe(customer.mobile);
    expect(message.body).toContain(customer.vehicle.plate);
    expect(message.body).toContain("M. et Mme");
    expect(message.body).toContain("01 23 45 67 89");
    const outbound = await until(async () => {
      const answer = await fetch(
        `${process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}/_emulator/messages?to=${encodeURIComponent(customer.mobile)}&direction=outbound`,
      );
      const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
      return messages.length > 0 ? messages : undefined;
    }, 40_000);
    expect(outbound).toHaveLength(1);
    // The list shows where its SMS stands.
    expect(["sent", "delivered"]).toContain((await statusOf(reminders[0]!.reminderId)).delivery);
    const campaign = await admin.get(`/api/campaigns/${sent.campaignId}`);
    expect(campaign.status).toBe(200);
    expect((campaign.body.campaign as { title: string }).title).toMatch(/^Relances clients du /);
  });

  it("takes each reminder once under redelivery, duplicated runs and a run cut short", async () => {
    const customers = await Promise.all(Array.from({ length: 13 }, () => newCustomer()));
    const ids: string[] = [];
    for (const customer of customers) {
      const { reminders } = await scheduleFor(customer, [
        { scenarioId: "revision", inMonths: 4 },
        { scenarioId: "liquide_frein", inMonths: 5 },
      ]);
      ids.push(...reminders.map((reminder) => reminder.reminderId));
    }
    await dueToday(ids);
    const job = { kind: "reminders.fire" as const, companyId: company.companyId, days: [today()] };
    const system = { type: "system" as const, companyId: company.companyId, reason: "test" };
    // A run cut short after its first chunk (time is up), then two runs at once, then one redelivered.
    let calls = 0;
    const first = await withActor(system, () =>
      fire({ ...job, runId: ulid() }, { timeLeft: () => (calls++ === 0 ? 60_000 : 0) }),
    );
    expect(first.outcome).toBe("continued");
    const runA = ulid();
    const runB = ulid();
    await withActor(system, () =>
      Promise.all([fire({ ...job, runId: runA }), fire({ ...job, runId: runB })]),
    );
    await withActor(system, () => fire({ ...job, runId: runA }));

    const rows = await Promise.all(
      ids.map(
        async (reminderId) =>
          (await ReminderEntity.get({ companyId: company.companyId, reminderId }).go()).data!,
      ),
    );
    expect(rows.every((row) => row.status === "sent")).toBe(true);
    // Exactly one message per reminder, whatever run took it.
    const campaigns = [...new Set(rows.map((row) => row.campaignId!))];
    const messages = (
      await Promise.all(
        campaigns.map(
          async (campaignId) =>
            (
              await MessageEntity.query
                .byCampaign({ companyId: company.companyId, campaignId })
                .go({ pages: "all" })
            ).data,
        ),
      )
    ).flat();
    expect(messages.map((message) => message.messageId).sort()).toEqual([...ids].sort());
    // Each campaign opened once its run was done, holding exactly its messages.
    for (const campaignId of campaigns) {
      if (
        campaignId === campaignIdOf(runA, company.agencies[0]!) ||
        campaignId === campaignIdOf(runB, company.agencies[0]!)
      ) {
        const { data } = await CampaignEntity.get({ companyId: company.companyId, campaignId }).go();
        expect(data?.recipients).toBe(messages.filter((message) => message.campaignId === campaignId).length);
      }
    }
  });

  it("leaves reminders alone before their day", async () => {
    const customer = await newCustomer();
    const { reminders } = await scheduleFor(customer, [{ scenarioId: "revision", inMonths: 1 }]);
    await tick(new Date());
    expect((await statusOf(reminders[0]!.reminderId)).status).toBe("pending");
  });

  it("waits for the company's allowed hours: a night tick leaves it, the next allowed morning takes it", async () => {
    // Another garage, with the default quiet hours (20:00–09:00, Sundays and holidays).
    const garage = await newCompany("Garage Calme");
    const staff = await loggedIn(garage, garage.admin.email);
    const saved = await staff.post("/api/reminders/customers", {
      agencyId: garage.agencies[0],
      mobile: freshMobile(),
      lastName: "Nuit",
      vehicle: { plate: plate() },
    });
    const customer = saved.body.customer as { contactId: string; vehicles: Array<{ vehicleId: string }> };
    const scheduled = await staff.post("/api/reminders", {
      contactId: customer.contactId,
      vehicleId: customer.vehicles[0]!.vehicleId,
      agencyId: garage.agencies[0],
      items: [{ scenarioId: "revision", inMonths: 1 }],
    });
    const reminder = (scheduled.body.reminders as Reminder[])[0]!;
    // Listed with when it will really go: the first allowed morning of its day, at 09:00.
    expect(nextAllowed(new Date(reminder.firesAt!), defaultQuietHours).toISOString()).toBe(reminder.firesAt);
    expect(new Date(reminder.firesAt!).getTime()).toBeGreaterThanOrEqual(
      fromZonedTime(`${reminder.dueOn}T09:00:00`, "Europe/Paris").getTime(),
    );
    await ReminderEntity.patch({ companyId: garage.companyId, reminderId: reminder.reminderId })
      .set({ dueOn: today(), dueDay: today(), dueShard: shardOf(reminder.reminderId) })
      .go();
    const night = fromZonedTime(`${today()}T23:00:00`, "Europe/Paris");
    await tick(night);
    const row = async () =>
      (await ReminderEntity.get({ companyId: garage.companyId, reminderId: reminder.reminderId }).go()).data!;
    expect((await row()).status).toBe("pending");
    const morning = nextAllowed(night, defaultQuietHours);
    expect((await tick(morning)).companies).toBeGreaterThanOrEqual(1);
    await until(async () => ((await row()).status === "sent" ? true : undefined), 30_000);
  });

  it("cancels a customer's pending reminders when they text STOP, and says so", async () => {
    const customer = await newCustomer();
    const { reminders } = await scheduleFor(customer, [
      { scenarioId: "revision", inMonths: 6 },
      { scenarioId: "controle_technique", inMonths: 8 },
    ]);
    await Suppression.add({
      companyId: company.companyId,
      channel: "sms",
      address: customer.mobile,
      source: "STOP",
    });
    for (const reminder of reminders)
      expect(
        (
          await until(async () => {
            const row = await statusOf(reminder.reminderId);
            return row.status === "cancelled" ? row : undefined;
          }, 30_000)
        ).cancelReason,
      ).toBe("opted_out");
  });
});
